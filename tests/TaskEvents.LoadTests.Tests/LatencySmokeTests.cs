using System.Globalization;
using System.Text.RegularExpressions;
using Spectre.Console;
using TaskEvents.LoadTests.Cli;

namespace TaskEvents.LoadTests.Tests;

/// <summary>
/// A few seconds of the <c>latency</c> scenario against the whole system started by the AppHost's testing builder: the
/// harness must deliver every event once and in order and write its report. No speed is asserted.
/// </summary>
public sealed class LatencySmokeTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _reports = Directory.CreateTempSubdirectory("taskevents-loadtest-").FullName;

    [Fact]
    public async Task Latency_run_against_the_apphost_loses_and_repeats_nothing_and_writes_its_report()
    {
        using var console = new StringWriter();
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(console),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });

        var exitCode = await LoadTestCommandLine.RunAsync(
            ["latency", "--target", "apphost", "--preset", "low-latency", "--tasks", "2", "--subscribers", "3", "--rate", "10",
             "--duration", "3", "--warmup", "1", "--ramp", "1", "--reports-dir", _reports],
            ansi);
        output.WriteLine(console.ToString());

        Assert.Equal(ExitCodes.Passed, exitCode);
        var summary = await File.ReadAllTextAsync(Path.Combine(_reports, "summary.md"));
        Assert.Contains("| lost / duplicated / out of order | 0 / 0 / 0 |", summary);
        Assert.Contains("**Result: passed.**", summary);
        // 2 tasks × 10 events/s over warm-up + measured window (4 s), each event delivered to 3 subscribers.
        Assert.Contains("| published / delivered (whole run) | 80 / 240 |", summary);
        // An event is answered only after it was sent, so each percentile of the answers is at least the same percentile of the sends.
        var sentLate = Percentiles(summary, "harness sent late p50 / p99 (ms, due time → sent)");
        var acknowledged = Percentiles(summary, "append acknowledged p50 / p99 (ms, due time → answer)");
        Assert.True(acknowledged.P50 >= sentLate.P50 && acknowledged.P99 >= sentLate.P99, $"answered {acknowledged} before sent {sentLate}?");
        Assert.True(File.Exists(Path.Combine(_reports, "summary.html")));
        Assert.True(File.Exists(Path.Combine(_reports, "latency-over-time.png")));
        var intervals = await File.ReadAllLinesAsync(Path.Combine(_reports, "intervals.csv"));
        Assert.StartsWith("run,elapsed_s,phase,", intervals[0]);
        Assert.True(intervals.Length > 3, $"expected a row per second, got {intervals.Length - 1}");
    }

    public void Dispose() => Directory.Delete(_reports, recursive: true);

    private static (double P50, double P99) Percentiles(string summary, string figure)
    {
        var match = Regex.Match(summary, $@"\| {Regex.Escape(figure)} \| (?<p50>[0-9.]+) / (?<p99>[0-9.]+) \|");
        Assert.True(match.Success, $"no figures for '{figure}' in the summary");
        return (double.Parse(match.Groups["p50"].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups["p99"].Value, CultureInfo.InvariantCulture));
    }
}
