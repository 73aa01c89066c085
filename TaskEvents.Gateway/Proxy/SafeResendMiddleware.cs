using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace TaskEvents.Gateway.Proxy;

/// <summary>
/// Sends a request to another replica when the chosen one failed it in a way that makes resending safe, before any
/// of the answer reached the client:
/// <list type="bullet">
/// <item>the connection was refused: nothing reached that replica. Without this, the first reconnects after a replica
/// dies go to it (it has the fewest requests), and an EventSource that gets a 502 gives up instead of retrying;</item>
/// <item>a GET failed before its response: reads and streams change nothing;</item>
/// <item>the body did not get through: a replica going away sends HTTP/2 GOAWAY, and a request caught by it cannot be
/// replayed on a new connection from a body already streamed (YARP reports the failure as the client's, a 400).
/// A replica never acts on an incomplete body, so the gateway keeps REST bodies (at most RequestBodyLimit) and sends
/// them again.</item>
/// </list>
/// Runs in the proxy pipeline before load balancing, so each attempt is balanced and counted by passive health.
/// </summary>
internal sealed partial class SafeResendMiddleware(RequestDelegate next, ILogger<SafeResendMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (HasBody(context.Request))
        {
            context.Request.EnableBuffering();
        }

        var proxy = context.GetReverseProxyFeature();
        var candidates = proxy.AvailableDestinations;
        while (true)
        {
            await next(context);
            if (!SafeToResend(context) || proxy.ProxiedDestination is not { } failed)
            {
                return;
            }

            candidates = candidates.Where(d => d != failed).ToList();
            if (candidates.Count == 0)
            {
                return;
            }

            LogResending(failed.DestinationId, context.GetForwarderErrorFeature()!.Error);
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

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;

    private static bool SafeToResend(HttpContext context)
    {
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested
            || context.GetForwarderErrorFeature() is not { } failure)
        {
            return false;
        }

        return failure switch
        {
            { Error: ForwarderError.Request, Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } } => true,
            { Error: ForwarderError.Request } => HttpMethods.IsGet(context.Request.Method),
            { Error: ForwarderError.RequestBodyClient or ForwarderError.RequestBodyDestination } => context.Request.Body.CanSeek,
            _ => false,
        };
    }

    [LoggerMessage(LogLevel.Warning, "Destination {Destination} failed the request ({Error}) before answering; sending it to another")]
    private partial void LogResending(string destination, ForwarderError error);
}
