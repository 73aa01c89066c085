namespace TaskEvents.ApiBench;

/// <summary>Percentiles of a set of latency samples in milliseconds.</summary>
internal sealed record LatencySummary(int Count, double P50, double P90, double P99, double P999, double Max)
{
    public static LatencySummary Of(List<double> samples)
    {
        if (samples.Count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        }

        samples.Sort();
        double At(double percentile) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(percentile / 100.0 * samples.Count) - 1)];
        return new LatencySummary(samples.Count, At(50), At(90), At(99), At(99.9), samples[^1]);
    }

    public override string ToString() =>
        $"n={Count,9:N0}  p50={P50,7:F2} ms  p90={P90,7:F2} ms  p99={P99,7:F2} ms  p99.9={P999,7:F2} ms  max={Max,8:F2} ms";
}
