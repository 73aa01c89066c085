using System.Globalization;
using TaskEvents.LoadTests.Cli;
using TaskEvents.LoadTests.Measurement;
using TaskEvents.LoadTests.Reporting;

namespace TaskEvents.LoadTests.Scenarios;

/// <summary><c>compare</c>: the same latency workload against ours (--target) and against Nchan, one after the other; both and the ratios.</summary>
internal static class CompareScenario
{
    public static async Task RunAsync(RunSettings settings, Report report, LiveProgress progress, CancellationToken cancellationToken)
    {
        if (settings.TargetsNchan)
        {
            throw new UsageException("compare runs Nchan itself: give --target apphost or http://host:port for our side.");
        }

        var ours = await LatencyScenario.RunOnAsync(settings, settings.Preset, "TaskEvents", report, progress, cancellationToken);
        var nchan = await LatencyScenario.RunOnAsync(settings with { Target = "nchan" }, settings.Preset, "Nchan", report, progress, cancellationToken);
        report.AddRun(ours);
        report.AddRun(nchan, checkThresholds: false);

        static string Ratio(double a, double b) => double.IsNaN(a) || double.IsNaN(b) || b == 0 ? "–" : (a / b).ToString("0.00", CultureInfo.InvariantCulture) + "×";
        static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var p in new[] { 50.0, 75, 95, 99, 99.9 })
        {
            rows.Add([$"p{p.ToString(CultureInfo.InvariantCulture)} (ms)", RunResult.Ms(ours.PercentileMs(p)), RunResult.Ms(nchan.PercentileMs(p)), Ratio(ours.PercentileMs(p), nchan.PercentileMs(p))]);
        }

        rows.Add(["max (ms)", RunResult.Ms(ours.MaxMs), RunResult.Ms(nchan.MaxMs), Ratio(ours.MaxMs, nchan.MaxMs)]);
        foreach (var p in new[] { 50.0, 99 })
        {
            rows.Add([$"harness sent late p{p.ToString(CultureInfo.InvariantCulture)} (ms)", RunResult.Ms(ours.SentLateMs(p)), RunResult.Ms(nchan.SentLateMs(p)),
                Ratio(ours.SentLateMs(p), nchan.SentLateMs(p))]);
            rows.Add([$"append acknowledged p{p.ToString(CultureInfo.InvariantCulture)} (ms)", RunResult.Ms(ours.AcknowledgedMs(p)), RunResult.Ms(nchan.AcknowledgedMs(p)),
                Ratio(ours.AcknowledgedMs(p), nchan.AcknowledgedMs(p))]);
        }

        rows.Add(["delivered/s", N(ours.DeliveredPerSecond), N(nchan.DeliveredPerSecond), Ratio(ours.DeliveredPerSecond, nchan.DeliveredPerSecond)]);
        rows.Add(["lost / duplicated / out of order", $"{ours.Lost} / {ours.Duplicated} / {ours.OutOfOrder}", $"{nchan.Lost} / {nchan.Duplicated} / {nchan.OutOfOrder}", ""]);
        rows.Add(["harness CPU (% of a core)", N(ours.HarnessCpuPercent), N(nchan.HarnessCpuPercent), Ratio(ours.HarnessCpuPercent, nchan.HarnessCpuPercent)]);
        rows.Add(["system CPU (% of a core)", N(ours.SystemCpuPercent), N(nchan.SystemCpuPercent), Ratio(ours.SystemCpuPercent, nchan.SystemCpuPercent)]);
        report.Tables.Insert(0, new ReportTable("TaskEvents versus Nchan (ratio = ours / Nchan)", ["figure", "TaskEvents", "Nchan", "ratio"], rows));
        report.Findings.Add(ours.P99 <= nchan.P99
            ? $"Our p99 ({RunResult.Ms(ours.P99)} ms) is no worse than Nchan's ({RunResult.Ms(nchan.P99)} ms)."
            : $"Our p99 ({RunResult.Ms(ours.P99)} ms) is worse than Nchan's ({RunResult.Ms(nchan.P99)} ms): {Ratio(ours.P99, nchan.P99)}.");
        report.Findings.Add("Nchan's side: nginx workers = cores, in-memory channels, the harness's raw EventSource reader (SseParser + Utf8JsonReader); " +
            "ours: the gateway, 2 Api replicas and PostgreSQL (every event committed), read by the same raw SSE reader as Nchan's.");
        Charts.LatencyOverTime(report, "Delivery latency per second, TaskEvents", ours.Intervals, "latency-over-time.png");
        Charts.LatencyOverTime(report, "Delivery latency per second, Nchan", nchan.Intervals, "latency-over-time-nchan.png");
    }
}
