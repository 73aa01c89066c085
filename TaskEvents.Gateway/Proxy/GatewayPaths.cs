namespace TaskEvents.Gateway.Proxy;

/// <summary>The URL spaces the gateway treats specially.</summary>
public static class GatewayPaths
{
    /// <summary>Server-Sent Event streams: the only place a token may come as <c>?access_token=</c>.</summary>
    public const string Streams = "/sse";
}
