namespace TaskEvents.Client;

/// <summary>
/// Settings of a <see cref="TaskEventsClient"/>, bound from the <c>TaskEventsClient</c> section when registered
/// through dependency injection. Reconnect names follow the seed's browser client (reconnectDelay, maxReconnectDelay, reconnectBackoff).
/// </summary>
public sealed class TaskEventsClientOptions
{
    public const string SectionName = "TaskEventsClient";

    /// <summary>The gateway (or Api) address; when null the HttpClient's own BaseAddress is used.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The server's keepalive interval: a stream silent for 2.5 times this long is considered dead and reopened (see <see cref="SilenceTimeout"/>).</summary>
    public TimeSpan KeepaliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound of the first reconnect delay; each failed attempt doubles it (full jitter: the wait is random below the bound).</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    public double ReconnectBackoffFactor { get; set; } = 2.0;

    /// <summary>Attempts of one REST call (first try included) before it fails with <see cref="TaskEventsUnavailableException"/>.</summary>
    public int MaxRequestAttempts { get; set; } = 4;

    /// <summary>How long one REST attempt may take. Streams are not bounded by it.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound of the first REST retry delay (full jitter, doubling per attempt).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The longest a REST retry waits. A Retry-After beyond this is honoured by giving up
    /// (<see cref="TaskEventsUnavailableException.RetryAfter"/> tells how long the server asked for).
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Events per REST page when a stream skipped events and the gap is filled over REST (1 to 1000).</summary>
    public int GapFillPageSize { get; set; } = 1000;

    /// <summary>The stream's batch_size (1 to 100); null leaves it to the server.</summary>
    public int? BatchSize { get; set; }

    /// <summary>The stream's flush_interval (0.1 s to 5 s); null leaves it to the server.</summary>
    public TimeSpan? FlushInterval { get; set; }

    /// <summary>Supplies bearer tokens; null sends requests without Authorization.</summary>
    public AccessTokenProvider? AccessTokenProvider { get; set; }

    /// <summary>The clock behind backoff waits, request timeouts and the watchdog.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The watchdog's limit: 2.5 intervals without a byte from the server. The server sends a keepalive only when it has
    /// nothing pending and may hold a batch for a flush interval (0.5 s unless <see cref="FlushInterval"/> says otherwise),
    /// so the interval is the longer of the two.
    /// </summary>
    public TimeSpan SilenceTimeout => TimeSpan.FromTicks(Math.Max(KeepaliveInterval.Ticks, (FlushInterval ?? ServerDefaultFlushInterval).Ticks)) * 2.5;

    private static TimeSpan ServerDefaultFlushInterval => TimeSpan.FromSeconds(0.5);
}
