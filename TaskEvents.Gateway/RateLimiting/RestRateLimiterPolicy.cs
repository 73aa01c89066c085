using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace TaskEvents.Gateway.RateLimiting;

/// <summary>A token bucket per client: <see cref="RateLimitOptions.Burst"/> at once, then <see cref="RateLimitOptions.RequestsPerSecond"/>.</summary>
internal sealed class RestRateLimiterPolicy(IOptions<RateLimitOptions> options) : IRateLimiterPolicy<string>
{
    // The partitioned limiter replenishes every 100 ms, so a faster period would lose tokens.
    private static readonly TimeSpan ShortestPeriod = TimeSpan.FromMilliseconds(100);

    private readonly TokenBucketRateLimiterOptions _bucket = BucketFor(options.Value);

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetTokenBucketLimiter(ClientPartition.Of(httpContext), _ => _bucket);

    private static TokenBucketRateLimiterOptions BucketFor(RateLimitOptions limits)
    {
        var perShortestPeriod = limits.RequestsPerSecond * ShortestPeriod.TotalSeconds;
        var (tokens, period) = perShortestPeriod >= 1
            ? ((int)Math.Round(perShortestPeriod), ShortestPeriod)
            : (1, TimeSpan.FromSeconds(1 / limits.RequestsPerSecond));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.Burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}
