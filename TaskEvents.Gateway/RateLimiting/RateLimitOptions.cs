using System.ComponentModel.DataAnnotations;

namespace TaskEvents.Gateway.RateLimiting;

/// <summary>
/// The <c>RateLimits</c> section. A client is the token's <c>sub</c>, or the remote address for anonymous requests.
/// Streams are limited by how many are open at once; REST requests by a token bucket.
/// </summary>
public sealed class RateLimitOptions : IValidatableObject
{
    public const string SectionName = "RateLimits";

    /// <summary>Open SSE streams one client may hold.</summary>
    [Range(1, 1_000_000)]
    public int StreamsPerClient { get; set; } = 20;

    /// <summary>Open SSE streams across all clients (each holds a connection to the gateway and one to an Api).</summary>
    [Range(1, 1_000_000)]
    public int StreamsTotal { get; set; } = 20_000;

    /// <summary>Sustained REST requests per second per client.</summary>
    [Range(0.01, 1_000_000.0)]
    public double RequestsPerSecond { get; set; } = 50;

    /// <summary>REST requests a client may send at once after being idle (the bucket's size).</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 100;

    /// <summary>The Retry-After sent when a stream is refused: open streams free no slot on a schedule.</summary>
    [Range(1, 3600)]
    public int StreamRetryAfterSeconds { get; set; } = 5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StreamsPerClient > StreamsTotal)
        {
            yield return new ValidationResult("RateLimits:StreamsPerClient cannot exceed RateLimits:StreamsTotal.",
                [nameof(StreamsPerClient), nameof(StreamsTotal)]);
        }
    }
}
