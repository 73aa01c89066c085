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
            var bodyDidNotGetThrough = BodyDidNotGetThrough(failure);
            if (candidates.Count == 0 || !(bodyDidNotGetThrough || SafeToResend(context, failure)))
            {
                if (bodyDidNotGetThrough)
                {
                    await AnswerRetryLaterAsync(context);
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

    private static bool SafeToResend(HttpContext context, IForwarderErrorFeature failure) => failure switch
    {
        { Error: ForwarderError.Request, Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } } => true,
        { Error: ForwarderError.Request } => HttpMethods.IsGet(context.Request.Method),
        _ => false,
    };

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

    private async Task AnswerRetryLaterAsync(HttpContext context)
    {
        LogRetryLater(context.GetForwarderErrorFeature()!.Error);
        context.Response.Clear();
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await TypedResults.Problem(
            title: "The Api replica went away while the request was on its way.",
            detail: "Nothing was stored. Send the same request again.",
            statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
    }

    [LoggerMessage(LogLevel.Warning, "Destination {Destination} failed the request ({Error}) before answering; sending it to another")]
    private partial void LogResending(string destination, ForwarderError error);

    [LoggerMessage(LogLevel.Warning, "The request body did not get through to the Api ({Error}); answering 503 so the client sends it again")]
    private partial void LogRetryLater(ForwarderError error);
}
