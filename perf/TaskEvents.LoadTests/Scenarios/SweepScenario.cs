using System.Globalization;
using TaskEvents.LoadTests.Cli;
using TaskEvents.LoadTests.Load;
using TaskEvents.LoadTests.Measurement;
using TaskEvents.LoadTests.Reporting;
using TaskEvents.LoadTests.Targets;

namespace TaskEvents.LoadTests.Scenarios;

/// <summary>
/// <c>sweep</c>: for each preset, the workload at a rising per-task rate until p99 passes --stop-p99-ms (or the rates run
/// out); the latency-versus-throughput table and chart, and which preset wins at each rate and overall.
/// </summary>
internal static class SweepScenario
{
    public static async Task RunAsync(RunSettings settings, Report report, LiveProgress progress, CancellationToken cancellationToken)
    {
        var results = new List<(SsePreset Preset, double Rate, RunResult Run)>();
        foreach (var preset in settings.Presets)
        {
            // One system per preset: the Api's server-side settings (PollInterval, defaults) are fixed at its start.
            await using var system = await TargetLauncher.StartAsync(settings, preset, progress, cancellationToken);
            report.Setup.Add($"{preset.Name}: {system.Description}");
            using var channel = system.CreateChannel();
            RunResult? previous = null;
            foreach (var rate in Rates(settings))
            {
                var workload = settings.Workload with { EventsPerSecondPerTask = rate };
                var label = string.Create(CultureInfo.InvariantCulture, $"{preset.Name} @ {rate:0.##}/s per task");
                var run = await new WorkloadRun(label, channel, workload, system.Processes, progress).RunAsync(cancellationToken);
                results.Add((preset, rate, run));
                report.Intervals.AddRange(run.Intervals);
                if (!run.Correct)
                {
                    report.Failures.Add($"{label}: {run.Lost} lost, {run.Duplicated} duplicated, {run.OutOfOrder} out of order");
                }

                if (Saturated(run, previous, workload, settings.StopP99Ms) is { } why)
                {
                    progress.Message($"{preset.Name}: {why} at {rate:0.##} events/s per task; next preset.");
                    break;
                }

                previous = run;
            }
        }

        report.Tables.Add(new ReportTable(
            "Latency versus throughput",
            ["preset", "events/s per task", "appends/s", "delivered/s", "p50 ms", "p99 ms", "max ms", "lost/dup/ooo", "errors", "harness CPU %", "system CPU %"],
            results.Select(r => (IReadOnlyList<string>)
            [
                r.Preset.Name,
                r.Rate.ToString("0.##", CultureInfo.InvariantCulture),
                r.Run.PublishedPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                r.Run.DeliveredPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                RunResult.Ms(r.Run.P50),
                RunResult.Ms(r.Run.P99),
                RunResult.Ms(r.Run.MaxMs),
                $"{r.Run.Lost}/{r.Run.Duplicated}/{r.Run.OutOfOrder}",
                r.Run.Errors.ToString(CultureInfo.InvariantCulture),
                r.Run.HarnessCpuPercent.ToString("0", CultureInfo.InvariantCulture),
                double.IsNaN(r.Run.SystemCpuPercent) ? "–" : r.Run.SystemCpuPercent.ToString("0", CultureInfo.InvariantCulture),
            ]).ToList()));

        AddFindings(settings, report, results);
        Charts.LatencyVersusThroughput(report, "Delivery latency versus delivered events/s, per preset",
            results.GroupBy(r => r.Preset.Name).Select(g => (g.Key, (IReadOnlyList<RunResult>)g.Select(r => r.Run).ToList())), "latency-vs-throughput.png");
    }

    /// <summary>
    /// Why the ramp of a preset ends here, or null to go on. Batching presets have a high p99 at low rates (a batch waits for
    /// its flush interval) that falls as the rate rises, so a p99 above the limit ends the ramp only once it is also rising
    /// (or past 5 s); falling behind the offered rate, losing events or failing requests end it at once.
    /// </summary>
    private static string? Saturated(RunResult run, RunResult? previous, Workload workload, double limitMs)
    {
        if (!run.Correct)
        {
            return "events were lost, duplicated or out of order";
        }

        if (run.DeliveredPerSecond < 0.9 * workload.DeliveriesPerSecond)
        {
            return string.Create(CultureInfo.InvariantCulture, $"delivered {run.DeliveredPerSecond:N0}/s of {workload.DeliveriesPerSecond:N0}/s offered");
        }

        var p99 = run.P99;
        if (p99 > limitMs && (previous is null ? p99 > 5000 : p99 >= previous.P99 || p99 > 5000))
        {
            return string.Create(CultureInfo.InvariantCulture, $"p99 {RunResult.Ms(p99)} ms is above {limitMs} ms and rising");
        }

        return null;
    }

    private static IEnumerable<double> Rates(RunSettings settings)
    {
        if (settings.Rates.Count > 0)
        {
            return settings.Rates;
        }

        return Ramp(settings.Workload.EventsPerSecondPerTask, settings.RateFactor, settings.MaxRate);

        static IEnumerable<double> Ramp(double first, double factor, double max)
        {
            for (var rate = first; rate <= max; rate *= Math.Max(factor, 1.1))
            {
                yield return rate;
            }
        }
    }

    private static void AddFindings(RunSettings settings, Report report, List<(SsePreset Preset, double Rate, RunResult Run)> results)
    {
        var limit = settings.StopP99Ms;
        foreach (var rate in results.GroupBy(r => r.Rate).Select(g => g.ToList()))
        {
            var ok = rate.Where(r => r.Run.Correct && r.Run.P99 <= limit).OrderBy(r => r.Run.P99).ToList();
            var rateText = string.Create(CultureInfo.InvariantCulture, $"{rate[0].Rate:0.##} events/s per task ({rate[0].Run.DeliveredPerSecond:N0} delivered/s)");
            report.Findings.Add(ok.Count == 0
                ? $"At {rateText}: no preset kept p99 under {limit} ms."
                : $"At {rateText}: {ok[0].Preset.Name} wins (p99 {RunResult.Ms(ok[0].Run.P99)} ms, p50 {RunResult.Ms(ok[0].Run.P50)} ms)" +
                  (ok.Count > 1 ? $"; then {string.Join(", ", ok.Skip(1).Select(r => $"{r.Preset.Name} {RunResult.Ms(r.Run.P99)} ms"))}." : "."));
        }

        foreach (var preset in results.GroupBy(r => r.Preset.Name))
        {
            var best = preset.Where(r => r.Run.Correct && r.Run.P99 <= limit).OrderByDescending(r => r.Run.DeliveredPerSecond).FirstOrDefault();
            report.Findings.Add(best.Run is null
                ? $"{preset.Key}: no step kept p99 under {limit} ms."
                : string.Create(CultureInfo.InvariantCulture,
                    $"{preset.Key}: highest delivered rate with p99 under {limit} ms: {best.Run.DeliveredPerSecond:N0} events/s (p99 {RunResult.Ms(best.Run.P99)} ms, harness CPU {best.Run.HarnessCpuPercent:0} %)."));
        }
    }
}
