using System.Globalization;
using HdrHistogram;

namespace TaskEvents.LoadTests.Measurement;

/// <summary>
/// The figures of one workload run against one system, of the measured window: delivery latency (due time → read by a
/// subscriber), how late the harness sent (due time → handed to the client) and acknowledgement latency (due time → the
/// append's answer to its publisher); rates, correctness, CPU.
/// </summary>
internal sealed record RunResult(
    string Label,
    string Workload,
    HistogramBase Latencies,
    HistogramBase SendDelays,
    HistogramBase Acknowledgements,
    double PublishedPerSecond,
    double DeliveredPerSecond,
    long Published,
    long Delivered,
    long Lost,
    long Duplicated,
    long OutOfOrder,
    long Errors,
    double HarnessCpuPercent,
    double SystemCpuPercent,
    IReadOnlyList<IntervalSample> Intervals)
{
    public bool Correct => Lost == 0 && Duplicated == 0 && OutOfOrder == 0;

    public double PercentileMs(double percentile) => Percentile(Latencies, percentile);

    public double P50 => PercentileMs(50);

    public double P99 => PercentileMs(99);

    public double MaxMs => Latencies.TotalCount == 0 ? double.NaN : Latencies.GetMaxValue() / 1000.0;

    public double SentLateMs(double percentile) => Percentile(SendDelays, percentile);

    public double AcknowledgedMs(double percentile) => Percentile(Acknowledgements, percentile);

    private static double Percentile(HistogramBase histogram, double percentile) =>
        histogram.TotalCount == 0 ? double.NaN : histogram.GetValueAtPercentile(percentile) / 1000.0;

    public static string Ms(double value) => double.IsNaN(value) ? "–" : value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    /// <summary>The summary lines every report shows for a run.</summary>
    public IReadOnlyList<(string Figure, string Value)> Figures() =>
    [
        ("workload", Workload),
        ("events measured", Latencies.TotalCount.ToString("N0", CultureInfo.InvariantCulture)),
        ("latency p50 / p75 / p95 / p99 / p99.9 / max (ms)",
            string.Join(" / ", new[] { 50, 75, 95, 99, 99.9 }.Select(p => Ms(PercentileMs(p))).Append(Ms(MaxMs)))),
        ("harness sent late p50 / p99 (ms, due time → sent)", $"{Ms(SentLateMs(50))} / {Ms(SentLateMs(99))}"),
        ("append acknowledged p50 / p99 (ms, due time → answer)", $"{Ms(AcknowledgedMs(50))} / {Ms(AcknowledgedMs(99))}"),
        ("published / delivered per s (measured window)", string.Create(CultureInfo.InvariantCulture, $"{PublishedPerSecond:N0} / {DeliveredPerSecond:N0}")),
        ("published / delivered (whole run)", string.Create(CultureInfo.InvariantCulture, $"{Published:N0} / {Delivered:N0}")),
        ("lost / duplicated / out of order", $"{Lost} / {Duplicated} / {OutOfOrder}"),
        ("errors (failed requests, refused or broken streams)", Errors.ToString(CultureInfo.InvariantCulture)),
        ("harness CPU (% of one core)", HarnessCpuPercent.ToString("0", CultureInfo.InvariantCulture)),
        ("system CPU, observed processes (% of one core)", double.IsNaN(SystemCpuPercent) ? "not observed" : SystemCpuPercent.ToString("0", CultureInfo.InvariantCulture)),
    ];
}
