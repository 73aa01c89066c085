using TaskEvents.Gateway.FanOut;
using TaskEvents.Gateway.LoadBalancing;
using TaskEvents.Gateway.Proxy;

namespace TaskEvents.Gateway.Extensions;

/// <summary>The proxy's own pipeline: what happens to a request once a route has matched it, in order.</summary>
public static class GatewayProxyExtensions
{
    public static WebApplication MapGatewayProxy(this WebApplication app)
    {
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<StreamShutdownMiddleware>();
            proxy.UseMiddleware<StreamFanOutMiddleware>();
            proxy.UseMiddleware<RequestBodyBufferMiddleware>();
            proxy.UseMiddleware<SafeResendMiddleware>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UseMiddleware<AppendStallWatchMiddleware>();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
