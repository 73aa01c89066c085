namespace TaskEvents.Measurement;

/// <summary>Nearest-rank percentiles of a set of latency samples in milliseconds; all zero when there are none.</summary>
public sealed record LatencySummary(int Count, double P50, double P90, double P99, double P999, double Max)
{
    public static LatencySummary Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        }

        double At(double quantile) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
        return new LatencySummary(sorted.Length, At(0.50), At(0.90), At(0.99), At(0.999), sorted[^1]);
    }

    public override string ToString() =>
        $"n={Count,9:N0}  p50={P50,7:F2} ms  p90={P90,7:F2} ms  p99={P99,7:F2} ms  p99.9={P999,7:F2} ms  max={Max,8:F2} ms";
}
