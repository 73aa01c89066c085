using System.ComponentModel.DataAnnotations;

namespace TaskEvents.Api.Streaming;

/// <summary>
/// The <c>Sse</c> configuration section, with the seed's SSEConfig names. Intervals are in seconds.
/// BatchSize and FlushInterval are the defaults for streams that do not ask for their own.
/// </summary>
public sealed class SseOptions
{
    public const string SectionName = "Sse";

    /// <summary>The seed's ranges for <c>batch_size</c> and <c>flush_interval</c> (seconds), here and in a stream's query.</summary>
    public const int MinBatchSize = 1, MaxBatchSize = 100;
    public const double MinFlushInterval = 0.1, MaxFlushInterval = 5.0;

    [Range(MinBatchSize, MaxBatchSize)]
    public int BatchSize { get; set; } = 10;

    [Range(MinFlushInterval, MaxFlushInterval)]
    public double FlushInterval { get; set; } = 0.5;

    [Range(0.01, 300.0)]
    public double KeepaliveInterval { get; set; } = 30.0;

    /// <summary>First polling interval while the LISTEN connection is down.</summary>
    [Range(0.01, 60.0)]
    public double PollInterval { get; set; } = 0.1;

    [Range(0.01, 60.0)]
    public double MaxPollInterval { get; set; } = 2.0;

    [Range(1.0, 10.0)]
    public double PollBackoffFactor { get; set; } = 1.5;

    /// <summary>After this many events (catch-up included) a stream asks the client to reconnect.</summary>
    [Range(1, 10_000_000)]
    public int MaxEventsPerStream { get; set; } = 10_000;

    /// <summary>Recent events kept in memory per subscribed task; a subscriber further behind reads the database.</summary>
    [Range(16, 100_000)]
    public int TailBufferSize { get; set; } = 1024;

    /// <summary>The <c>retry:</c> hint sent to EventSource clients at the start of each stream.</summary>
    [Range(0.1, 60.0)]
    public double ClientRetryInterval { get; set; } = 1.0;

    public TimeSpan Keepalive => TimeSpan.FromSeconds(KeepaliveInterval);

    public TimeSpan Flush => TimeSpan.FromSeconds(FlushInterval);

    public TimeSpan Poll => TimeSpan.FromSeconds(PollInterval);

    public TimeSpan MaxPoll => TimeSpan.FromSeconds(MaxPollInterval);

    public TimeSpan ClientRetry => TimeSpan.FromSeconds(ClientRetryInterval);
}
