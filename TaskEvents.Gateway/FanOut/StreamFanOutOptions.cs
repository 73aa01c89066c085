using System.ComponentModel.DataAnnotations;

namespace TaskEvents.Gateway.FanOut;

/// <summary>
/// The <c>StreamFanOut</c> section: the gateway serves the subscribers of one task (one tenant, the same stream
/// parameters) from one upstream stream to an Api replica instead of one each.
/// </summary>
public sealed class StreamFanOutOptions
{
    public const string SectionName = "StreamFanOut";

    /// <summary>Off: every stream is proxied to an Api replica on its own, as before.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Recent frames a shared stream keeps (events and keepalives). A subscriber that resumes inside them joins the shared
    /// stream; one that falls further behind is asked to reconnect and is then served on a stream of its own.
    /// </summary>
    [Range(16, 100_000)]
    public int RingCapacity { get; set; } = 1024;

    /// <summary>How long a shared stream stays open after its last subscriber left, for the subscribers that come back.</summary>
    [Range(0.0, 300.0)]
    public double IdleGraceSeconds { get; set; } = 10.0;

    /// <summary>After this many events a subscriber is asked to reconnect, as the Api asks its own streams (<c>Sse:MaxEventsPerStream</c>).</summary>
    [Range(1, 10_000_000)]
    public int MaxEventsPerStream { get; set; } = 10_000;

    /// <summary>Attempts to reopen a shared stream whose upstream broke, before its subscribers are asked to reconnect.</summary>
    [Range(0, 20)]
    public int ReopenAttempts { get; set; } = 5;

    public TimeSpan IdleGrace => TimeSpan.FromSeconds(IdleGraceSeconds);
}
