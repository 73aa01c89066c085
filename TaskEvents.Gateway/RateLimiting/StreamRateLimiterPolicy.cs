using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace TaskEvents.Gateway.RateLimiting;

/// <summary>
/// A stream needs a slot of its client and a slot of the gateway's total; both are held until the stream ends.
/// No queueing: a client over its limit is told at once.
/// </summary>
internal sealed class StreamRateLimiterPolicy(IOptions<RateLimitOptions> options) : IRateLimiterPolicy<string>
{
    private readonly ConcurrencyLimiter _total = new(new ConcurrencyLimiterOptions { PermitLimit = options.Value.StreamsTotal, QueueLimit = 0 });

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

    // The chain does not own the shared total limiter, so an idle client's partition can be dropped safely.
    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.Get(ClientPartition.Of(httpContext), _ => RateLimiter.CreateChained(
            new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = options.Value.StreamsPerClient, QueueLimit = 0 }),
            _total));
}
