using TaskEvents.LoadTests.Cli;
using TaskEvents.LoadTests.Load;
using TaskEvents.LoadTests.Measurement;
using TaskEvents.LoadTests.Reporting;
using TaskEvents.LoadTests.Targets;

namespace TaskEvents.LoadTests.Scenarios;

/// <summary><c>latency</c>: one workload against one target; delivery latency, rates, correctness, CPU.</summary>
internal static class LatencyScenario
{
    public static async Task RunAsync(RunSettings settings, Report report, LiveProgress progress, CancellationToken cancellationToken)
    {
        var run = await RunOnAsync(settings, settings.Preset, "latency", report, progress, cancellationToken);
        report.AddRun(run);
        Charts.LatencyOverTime(report, $"Delivery latency per second ({run.Label})", run.Intervals, "latency-over-time.png");
    }

    /// <summary>Starts the target, runs the workload once, stops the target (shared with compare).</summary>
    public static async Task<RunResult> RunOnAsync(
        RunSettings settings, SsePreset preset, string label, Report report, LiveProgress progress, CancellationToken cancellationToken)
    {
        await using var system = await TargetLauncher.StartAsync(settings, preset, progress, cancellationToken);
        report.Setup.Add($"{label} target: {system.Description}");
        using var channel = system.CreateChannel();
        return await new WorkloadRun(label, channel, settings.Workload, system.Processes, progress).RunAsync(cancellationToken);
    }
}
