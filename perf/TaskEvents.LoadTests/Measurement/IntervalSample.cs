namespace TaskEvents.LoadTests.Measurement;

/// <summary>One row of the per-interval CSV: rates and latency percentiles (ms) of events delivered in that interval.</summary>
internal sealed record IntervalSample(
    string Run,
    double ElapsedSeconds,
    string Phase,
    int StreamsOpened,
    double PublishedPerSecond,
    double DeliveredPerSecond,
    double P50,
    double P75,
    double P95,
    double P99,
    double Max,
    long Errors,
    double HarnessCpuPercent,
    double SystemCpuPercent);
