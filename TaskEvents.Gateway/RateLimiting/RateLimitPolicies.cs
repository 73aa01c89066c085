namespace TaskEvents.Gateway.RateLimiting;

/// <summary>Rate limiter policy names, as routes name them in the <c>ReverseProxy</c> section.</summary>
public static class RateLimitPolicies
{
    /// <summary>Concurrent SSE streams, per client and in total.</summary>
    public const string Streams = "streams";

    /// <summary>REST requests, a token bucket per client.</summary>
    public const string Rest = "rest";
}
