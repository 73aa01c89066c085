using ScottPlot;
using TaskEvents.LoadTests.Measurement;

namespace TaskEvents.LoadTests.Reporting;

/// <summary>The report's PNG charts (ScottPlot): latency percentiles over time, and latency versus throughput for sweeps.</summary>
internal static class Charts
{
    public static void LatencyOverTime(Report report, string title, IReadOnlyList<IntervalSample> samples, string file)
    {
        var plot = new Plot();
        foreach (var (name, pick) in new (string, Func<IntervalSample, double>)[] { ("p50", s => s.P50), ("p95", s => s.P95), ("p99", s => s.P99), ("max", s => s.Max) })
        {
            var points = samples.Where(s => !double.IsNaN(pick(s))).ToList();
            if (points.Count == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(points.Select(s => s.ElapsedSeconds).ToArray(), points.Select(pick).ToArray());
            line.LegendText = name;
        }

        plot.Title(title);
        plot.XLabel("elapsed (s)");
        plot.YLabel("delivery latency (ms)");
        plot.ShowLegend();
        Save(report, plot, title, file);
    }

    public static void LatencyVersusThroughput(Report report, string title, IEnumerable<(string Series, IReadOnlyList<RunResult> Runs)> series, string file)
    {
        var plot = new Plot();
        foreach (var (name, runs) in series)
        {
            var measured = runs.Where(r => r.Latencies.TotalCount > 0).ToList();
            if (measured.Count == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(measured.Select(r => r.DeliveredPerSecond).ToArray(), measured.Select(r => r.P99).ToArray());
            line.LegendText = $"{name} p99";
            var median = plot.Add.Scatter(measured.Select(r => r.DeliveredPerSecond).ToArray(), measured.Select(r => r.P50).ToArray());
            median.LegendText = $"{name} p50";
            median.LinePattern = LinePattern.Dashed;
            median.Color = line.Color;
        }

        plot.Add.HorizontalLine(100, pattern: LinePattern.Dotted).LegendText = "100 ms";
        plot.Title(title);
        plot.XLabel("delivered events/s");
        plot.YLabel("delivery latency (ms)");
        plot.ShowLegend();
        Save(report, plot, title, file);
    }

    private static void Save(Report report, Plot plot, string title, string file)
    {
        Directory.CreateDirectory(report.Directory);
        plot.SavePng(Path.Combine(report.Directory, file), 1000, 560);
        report.Charts.Add((title, file));
    }
}
