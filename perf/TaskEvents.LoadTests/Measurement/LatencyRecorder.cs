using System.Diagnostics;
using HdrHistogram;

namespace TaskEvents.LoadTests.Measurement;

/// <summary>
/// Delivery latencies in microseconds (HdrHistogram, 3 significant digits, up to 10 minutes), safe to record from every
/// subscriber at once: one recorder read per interval for the live view and the CSV, one for the measured window only.
/// </summary>
internal sealed class LatencyRecorder
{
    private const long HighestMicroseconds = 600_000_000;

    private readonly Recorder _interval = NewRecorder();
    private readonly Recorder _measured = NewRecorder();
    private HistogramBase? _recycled;

    /// <summary>Events whose publisher timestamp is at or after this (Stopwatch ticks) count in the summary; earlier ones are warm-up.</summary>
    public long MeasureFrom { get; set; } = long.MaxValue;

    /// <summary>Events published after this are not in the summary (the run's measured window has ended).</summary>
    public long MeasureUntil { get; set; } = long.MaxValue;

    public static long ToMicroseconds(long stopwatchTicks) => stopwatchTicks * 1_000_000 / Stopwatch.Frequency;

    public void Record(long sentTimestamp, long receivedTimestamp)
    {
        var micros = Math.Clamp(ToMicroseconds(receivedTimestamp - sentTimestamp), 1, HighestMicroseconds);
        _interval.RecordValue(micros);
        if (sentTimestamp >= MeasureFrom && sentTimestamp < MeasureUntil)
        {
            _measured.RecordValue(micros);
        }
    }

    /// <summary>Everything recorded since the previous call (called by one sampler only).</summary>
    public HistogramBase TakeInterval()
    {
        var histogram = _interval.GetIntervalHistogram(_recycled);
        _recycled = null;
        return histogram;
    }

    /// <summary>Hands a histogram from <see cref="TakeInterval"/> back for reuse once read.</summary>
    public void Recycle(HistogramBase histogram) => _recycled = histogram;

    /// <summary>Every latency of the measured window (call once, at the end of the run).</summary>
    public HistogramBase TakeMeasured() => _measured.GetIntervalHistogram();

    private static Recorder NewRecorder() =>
        HistogramFactory.With64BitBucketSize().WithValuesFrom(1).WithValuesUpTo(HighestMicroseconds).WithPrecisionOf(3)
            .WithThreadSafeWrites().WithThreadSafeReads().Create();
}
