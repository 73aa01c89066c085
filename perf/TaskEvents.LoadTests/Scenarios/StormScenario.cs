using System.Diagnostics;
using System.Globalization;
using TaskEvents.LoadTests.Cli;
using TaskEvents.LoadTests.Load;
using TaskEvents.LoadTests.Measurement;
using TaskEvents.LoadTests.Reporting;
using TaskEvents.LoadTests.Targets;

namespace TaskEvents.LoadTests.Scenarios;

/// <summary>
/// <c>storm</c>: with every subscriber live and events flowing, (1) restart one Api replica (apphost only), (2) drop every
/// client connection at once and reconnect them all from their last seq. For each, the time until every subscriber has
/// received an event published after the disturbance (streams deliver in seq order, and the probe counts any seq skipped as lost);
/// the run's correctness check proves nothing was lost or repeated across both.
/// </summary>
internal static class StormScenario
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The "not caught up" cell of a disturbance that could not be made (already a failure of its own).</summary>
    private const string NotMade = "– (not made)";

    public static async Task RunAsync(RunSettings settings, Report report, LiveProgress progress, CancellationToken cancellationToken)
    {
        await using var system = await TargetLauncher.StartAsync(settings, settings.Preset, progress, cancellationToken);
        report.Setup.Add($"target: {system.Description}");
        using var channel = system.CreateChannel();
        var recoveries = new List<IReadOnlyList<string>>();
        var run = new WorkloadRun("storm", channel, settings.Workload, system.Processes, progress)
        {
            DuringMeasurement = async (run, ct) =>
            {
                if (settings.TargetsAppHost)
                {
                    await Task.Delay(Settle, ct);
                    recoveries.Add(await DisturbAsync("restart one Api replica", run, () => system.RestartApiReplicaAsync(ct), report, progress, ct));
                }
                else
                {
                    progress.Message("Not restarting an Api replica: that needs --target apphost.");
                }

                await Task.Delay(Settle, ct);
                recoveries.Add(await DisturbAsync("drop every client at once", run, () => run.ReconnectAllAsync(ct), report, progress, ct));
            },
        };
        var result = await run.RunAsync(cancellationToken);
        report.AddRun(result);
        report.Tables.Insert(0, new ReportTable(
            "Recovery (time until every subscriber received an event published after the disturbance)",
            ["disturbance", "subscribers", "all caught up after", "median subscriber", "not caught up"],
            recoveries));
        foreach (var row in recoveries.Where(r => r[4] is not ("0" or NotMade)))
        {
            report.Failures.Add($"{row[0]}: {row[4]} subscribers had not caught up within {CatchUpTimeout.TotalSeconds} s");
        }

        report.Findings.Add(string.Create(CultureInfo.InvariantCulture,
            $"Resolution: a subscriber counts as caught up when an event published after the disturbance reaches it, so figures include up to 1/rate = {1000 / settings.Workload.EventsPerSecondPerTask:0} ms of waiting for that event. Subscriber reconnect: at once after a reconnect message, else after 0-1 s of full jitter (the harness's wire reader)."));
        Charts.LatencyOverTime(report, "Delivery latency per second through the storms", result.Intervals, "latency-over-time.png");
    }

    // A disturbance that cannot be made (Aspire refusing a restart, say) fails the run with its reason; the run goes on, so
    // the other disturbance is still measured and the system is still checked and stopped.
    private static async Task<IReadOnlyList<string>> DisturbAsync(
        string name, WorkloadRun run, Func<Task> disturb, Report report, LiveProgress progress, CancellationToken cancellationToken)
    {
        var probes = run.Probes;
        var started = Stopwatch.GetTimestamp();
        foreach (var probe in probes)
        {
            probe.WatchCatchUp(started);
        }

        progress.Message($"Storm: {name} …");
        try
        {
            await disturb();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            progress.Message($"Storm: {name} could not be made: {ex.Message}");
            report.Failures.Add($"{name}: could not be made ({ex.Message})");
            return [name, probes.Count.ToString("N0", CultureInfo.InvariantCulture), "–", "–", NotMade];
        }

        var waiting = Stopwatch.StartNew();
        while (waiting.Elapsed < CatchUpTimeout && probes.Any(p => p.CaughtUpAt == 0))
        {
            await Task.Delay(20, cancellationToken);
        }

        var times = probes.Where(p => p.CaughtUpAt != 0).Select(p => Stopwatch.GetElapsedTime(started, p.CaughtUpAt).TotalMilliseconds).Order().ToList();
        var missing = probes.Count - times.Count;
        progress.Message($"Storm: {name}: {(missing == 0 ? $"all {probes.Count} caught up after {times[^1]:0} ms" : $"{missing} not caught up")}.");
        return
        [
            name,
            probes.Count.ToString("N0", CultureInfo.InvariantCulture),
            times.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{times[^1]:N0} ms"),
            times.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{times[times.Count / 2]:N0} ms"),
            missing.ToString(CultureInfo.InvariantCulture),
        ];
    }
}
