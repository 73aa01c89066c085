namespace TaskEvents.Gateway.Proxy;

/// <summary>
/// Ends the streams it proxies when the gateway stops. A stream never completes by itself, so without this the
/// gateway's shutdown waits out the host's timeout while its clients wait with it, cut off from everything. Aborted,
/// each client reconnects at once (to another gateway, or to this one once it is back) and resumes with Last-Event-ID.
/// REST requests in flight are left to finish.
/// </summary>
internal sealed class StreamShutdownMiddleware(RequestDelegate next, IHostApplicationLifetime lifetime)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(GatewayPaths.Streams))
        {
            await next(context);
            return;
        }

        await using var onStopping = lifetime.ApplicationStopping.Register(static state => ((HttpContext)state!).Abort(), context);
        await next(context);
    }
}
