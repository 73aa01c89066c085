namespace TaskEvents.GatewayBench;

/// <summary>Percentiles of one path's delivery latencies, in milliseconds.</summary>
internal sealed record LatencySummary(string Path, int Count, double Median, double P90, double P99, double Max)
{
    public static LatencySummary Of(string path, IReadOnlyCollection<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        return new LatencySummary(path, sorted.Length, At(sorted, 0.50), At(sorted, 0.90), At(sorted, 0.99), sorted[^1]);
    }

    private static double At(double[] sorted, double quantile) => sorted[(int)Math.Ceiling(quantile * sorted.Length) - 1];
}
