using System.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace TaskEvents.Gateway.Proxy;

/// <summary>
/// Keeps tokens out of forwarded URLs. On streams, a <c>?access_token=</c> (how EventSource authenticates) becomes the
/// <c>Authorization</c> header the Api validates; on every route the parameter is removed from the forwarded query.
/// </summary>
internal sealed class AccessTokenTransformProvider : ITransformProvider
{
    public const string Parameter = "access_token";

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context) => context.AddRequestTransform(MoveTokenToHeader);

    private static ValueTask MoveTokenToHeader(RequestTransformContext context)
    {
        if (!context.Query.Collection.Remove(Parameter, out var token))
        {
            return ValueTask.CompletedTask;
        }

        if (context.HttpContext.Request.Path.StartsWithSegments(GatewayPaths.Streams)
            && context.ProxyRequest.Headers.Authorization is null
            && token.Count == 1)
        {
            context.ProxyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token[0]);
        }

        return ValueTask.CompletedTask;
    }
}
