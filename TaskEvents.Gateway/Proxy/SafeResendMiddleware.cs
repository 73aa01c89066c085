using TaskEvents.Gateway.LoadBalancing;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace TaskEvents.Gateway.Proxy;

/// <summary>
/// Decides what happens when the chosen replica failed a request before any of the answer reached the client:
/// <list type="bullet">
/// <item>the connection was refused (nothing reached that replica), a GET failed (reads and streams change nothing), or
/// the body did not get through (a replica going away sent HTTP/2 GOAWAY; a replica never acts on an incomplete body,
/// and <see cref="RequestBodyBufferMiddleware"/> keeps the body to send again): the request goes to another replica.
/// Without this, the first reconnects after a replica dies go to it (it has the fewest requests), and an EventSource
/// that gets a 502 gives up instead of retrying;</item>
/// <item>a body that did not get through with no other replica left: YARP blames the client (400), but nothing was
/// wrong with the request, so the answer is 503 + Retry-After and the client sends it again (appends are idempotent by
/// event_id).</item>
/// <item>no replica could be connected to (all of them stopping or down, e.g. while the whole system stops or starts):
/// nothing reached any replica, so the answer is 503 + Retry-After, not YARP's 502, and the client tries again.</item>
/// <item>an append cancelled on a replica that stopped answering (<see cref="StalledAppend"/>): that replica may still
/// store it when it wakes, so it goes to another replica only when every event carries an event_id (stored once
/// whichever replica gets there first); otherwise, or with no other replica, the answer is 504: the outcome is unknown.</item>
/// </list>
/// Runs in the proxy pipeline before load balancing, so each attempt is balanced and counted by passive health.
/// </summary>
internal sealed partial class SafeResendMiddleware(RequestDelegate next, ILogger<SafeResendMiddleware> logger)
{
    private const int RetryAfterSeconds = 1;

    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var candidates = proxy.AvailableDestinations;
        while (true)
        {
            await next(context);
            if (!Unanswered(context) || context.GetForwarderErrorFeature() is not { } failure || proxy.ProxiedDestination is not { } failed)
            {
                return;
            }

            candidates = candidates.Where(d => d != failed).ToList();
            if (context.Features.Get<StalledAppend>() is not null)
            {
                context.Features.Set<StalledAppend>(null);
                if (candidates.Count == 0 || !await IdempotentAppendBody.IsIdempotentAsync(context.Request.Body, context.RequestAborted))
                {
                    await AnswerOutcomeUnknownAsync(context);
                    return;
                }
            }
            else if (candidates.Count == 0 || !(BodyDidNotGetThrough(failure) || SafeToResend(context, failure)))
            {
                if (BodyDidNotGetThrough(failure))
                {
                    await AnswerRetryLaterAsync(context, "The Api replica went away while the request was on its way.");
                }
                else if (candidates.Count == 0 && NothingReachedTheReplica(failure))
                {
                    await AnswerRetryLaterAsync(context, "No Api replica can be reached right now.");
                }

                return;
            }

            LogResending(failed.DestinationId, failure.Error);
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
            if (context.Request.Body.CanSeek)
            {
                context.Request.Body.Position = 0;
            }

            proxy.AvailableDestinations = candidates;
            proxy.ProxiedDestination = null;
        }
    }

    private static bool Unanswered(HttpContext context) =>
        !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested;

    private static bool SafeToResend(HttpContext context, IForwarderErrorFeature failure) =>
        NothingReachedTheReplica(failure) || failure.Error == ForwarderError.Request && HttpMethods.IsGet(context.Request.Method);

    /// <summary>The connection to the replica could not be made (refused, reset while connecting): it never saw the request.</summary>
    private static bool NothingReachedTheReplica(IForwarderErrorFeature failure) =>
        failure is { Error: ForwarderError.Request, Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } };

    /// <summary>The body failed on its way to the replica, and not because of what the client sent (that stays a 4xx).</summary>
    private static bool BodyDidNotGetThrough(IForwarderErrorFeature failure) =>
        failure.Error is ForwarderError.RequestBodyClient or ForwarderError.RequestBodyDestination && !CausedByTheClient(failure.Exception);

    private static bool CausedByTheClient(Exception? exception) => exception switch
    {
        null => false,
        BadHttpRequestException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(CausedByTheClient),
        _ => CausedByTheClient(exception.InnerException),
    };

    private async Task AnswerRetryLaterAsync(HttpContext context, string title)
    {
        LogRetryLater(context.GetForwarderErrorFeature()!.Error);
        context.Response.Clear();
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await TypedResults.Problem(
            title: title,
            detail: "Nothing was stored. Send the same request again.",
            statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
    }

    private async Task AnswerOutcomeUnknownAsync(HttpContext context)
    {
        LogOutcomeUnknown();
        context.Response.Clear();
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await TypedResults.Problem(
            title: "The Api replica stopped answering while it held this append.",
            detail: "It may still store it. Send it again with an event_id on every event (a repeat is stored once), or read the task's events to check.",
            statusCode: StatusCodes.Status504GatewayTimeout).ExecuteAsync(context);
    }

    [LoggerMessage(LogLevel.Warning, "An append cancelled on a stalled Api replica cannot be sent again (not every event has an event_id, or no other replica is left); answering 504, its outcome is unknown")]
    private partial void LogOutcomeUnknown();

    [LoggerMessage(LogLevel.Warning, "Destination {Destination} failed the request ({Error}) before answering; sending it to another")]
    private partial void LogResending(string destination, ForwarderError error);

    [LoggerMessage(LogLevel.Warning, "The request did not get through to any Api replica ({Error}); answering 503 so the client sends it again")]
    private partial void LogRetryLater(ForwarderError error);
}
