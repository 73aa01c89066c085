using System.Net.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace TaskEvents.Gateway.Proxy;

/// <summary>
/// Sends a request to another replica when the chosen one refused the connection. Nothing reached that replica
/// (not even the body), so any request is safe to resend. Without this, the first reconnects after a replica dies
/// go to it (it has the fewest requests), and an EventSource that gets a 502 gives up instead of retrying.
/// Runs in the proxy pipeline before load balancing, so each attempt is balanced and counted by passive health.
/// </summary>
internal sealed partial class ConnectFailureRetryMiddleware(RequestDelegate next, ILogger<ConnectFailureRetryMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var candidates = proxy.AvailableDestinations;
        while (true)
        {
            await next(context);
            if (!RefusedBeforeSending(context) || proxy.ProxiedDestination is not { } refused)
            {
                return;
            }

            candidates = candidates.Where(d => d != refused).ToList();
            if (candidates.Count == 0)
            {
                return;
            }

            LogRetrying(refused.DestinationId);
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
            proxy.AvailableDestinations = candidates;
            proxy.ProxiedDestination = null;
        }
    }

    private static bool RefusedBeforeSending(HttpContext context) =>
        !context.Response.HasStarted
        && !context.RequestAborted.IsCancellationRequested
        && context.GetForwarderErrorFeature() is { Error: ForwarderError.Request, Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } };

    [LoggerMessage(LogLevel.Information, "Destination {Destination} refused the connection; trying another")]
    private partial void LogRetrying(string destination);
}
