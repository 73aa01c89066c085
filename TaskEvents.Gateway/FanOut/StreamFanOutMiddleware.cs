using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using TaskEvents.ServiceDefaults.Authentication;
using Yarp.ReverseProxy.Model;

namespace TaskEvents.Gateway.FanOut;

/// <summary>
/// In the proxy's pipeline: a stream request the gateway can serve from a shared stream is served here; every other
/// request, and every one the shared stream cannot take, goes on to the Api as before. The caller's own token must grant
/// what the Api would demand of it (<see cref="AuthPolicies.ReadEvents"/>): sharing an upstream never lends a permission.
/// </summary>
internal sealed class StreamFanOutMiddleware(
    RequestDelegate next, StreamHubRegistry hubs, IAuthorizationService authorization, IOptions<StreamFanOutOptions> options, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!options.Value.Enabled
            || FanOutRequest.TryRead(context, time.GetUtcNow()) is not { } request
            || context.GetReverseProxyFeature().Route.Cluster is not { } cluster
            || !(await authorization.AuthorizeAsync(context.User, AuthPolicies.ReadEvents)).Succeeded)
        {
            await next(context);
            return;
        }

        (StreamHub Hub, HubSubscriber Subscriber)? joined;
        try
        {
            joined = await hubs.JoinAsync(request, cluster, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // The client left while the shared stream was opening.
        }

        if (joined is null)
        {
            await next(context);
            return;
        }

        try
        {
            await new SharedStreamSession(context, joined.Value.Hub, joined.Value.Subscriber, options.Value, time).RunAsync();
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left, or the gateway is stopping (StreamShutdownMiddleware aborted it).
        }
        finally
        {
            hubs.Leave(joined.Value.Hub, joined.Value.Subscriber);
        }
    }
}
