using TaskEvents.LoadTests.Measurement;

namespace TaskEvents.LoadTests.Reporting;

/// <summary>What a scenario found, in the shape every report format is written from.</summary>
internal sealed class Report(string scenario, string directory)
{
    public string Scenario => scenario;

    /// <summary>The run's folder, <c>perf/reports/&lt;timestamp&gt;-&lt;scenario&gt;/</c> unless <c>--reports-dir</c> says otherwise.</summary>
    public string Directory => directory;

    /// <summary>Setup facts: the command, the target, machine load, limits.</summary>
    public List<string> Setup { get; } = [];

    public List<ReportTable> Tables { get; } = [];

    /// <summary>Conclusions in words (e.g. which preset wins where).</summary>
    public List<string> Findings { get; } = [];

    public List<(string Title, string File)> Charts { get; } = [];

    public List<IntervalSample> Intervals { get; } = [];

    /// <summary>Why the run failed (lost events, thresholds missed); empty when it passed.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Runs the thresholds (<c>--max-p99-ms</c> …) apply to.</summary>
    public List<RunResult> CheckedRuns { get; } = [];

    public void AddRun(RunResult run, bool checkThresholds = true)
    {
        if (checkThresholds)
        {
            CheckedRuns.Add(run);
        }

        Tables.Add(new ReportTable(run.Label, ["figure", "value"], run.Figures().Select(f => (IReadOnlyList<string>)[f.Figure, f.Value]).ToList()));
        Intervals.AddRange(run.Intervals);
        if (!run.Correct)
        {
            Failures.Add($"{run.Label}: {run.Lost} lost, {run.Duplicated} duplicated, {run.OutOfOrder} out of order");
        }
    }
}
