using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TaskEvents.LoadTests.Measurement;
using TaskEvents.LoadTests.Reporting;
using TaskEvents.LoadTests.Scenarios;

namespace TaskEvents.LoadTests.Cli;

/// <summary>
/// <c>latency | sweep | connections | storm | compare [options]</c>: parses, runs the scenario, writes the report, applies the
/// thresholds. Exit code 0 passed, 1 failed (events lost, duplicated or out of order, or a threshold missed), 2 could not run.
/// </summary>
internal static class LoadTestCommandLine
{
    private delegate Task Scenario(RunSettings settings, Report report, LiveProgress progress, CancellationToken cancellationToken);

    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand(
            "TaskEvents load harness: SSE delivery latency versus throughput through the gateway, with NBomber's load model " +
            "(closed-model subscribers, open-model publisher, warm-up excluded). Reports go to perf/reports/<timestamp>/.");
        var exitCode = ExitCodes.Passed;
        void Add(string name, string description, Scenario scenario, Defaults defaults)
        {
            var command = new Command(name, description);
            var options = new ScenarioOptions(command, defaults);
            command.SetAction(async (parsed, ct) =>
            {
                RunSettings settings;
                try
                {
                    settings = options.Read(parsed);
                }
                catch (Exception ex) when (ex is UsageException or FormatException)
                {
                    console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
                    return exitCode = ExitCodes.CannotRun;
                }

                exitCode = await ExecuteAsync(name, args, settings, scenario, console, ct);
                return exitCode;
            });
            root.Subcommands.Add(command);
        }

        Add("latency", "T tasks × S subscribers per task through the gateway, R events/s per task, D seconds: delivery latency percentiles, lost/duplicated/out of order.",
            LatencyScenario.RunAsync, Defaults.W1);
        Add("sweep", "Each preset (--presets) × a rising per-task rate (--rates, or a ramp from --rate times --rate-factor) until p99 passes --stop-p99-ms and keeps rising: " +
            "latency-versus-throughput table and chart, and which preset wins where. With --target apphost the system restarts per preset.",
            SweepScenario.RunAsync, Defaults.Sweep);
        Add("connections", "Ramps --streams idle streams through the gateway (--ramp), holds them (--hold): connect latency, memory, open files and sockets per stream " +
            "of api + gateway (from /proc), keepalive cost (set --keepalive low to see it). States the open-file limit the run needs.",
            ConnectionsScenario.RunAsync, Defaults.Connections);
        Add("storm", "With the subscribers live and events flowing, restarts one Api replica (apphost only), then drops every client at once: " +
            "time until every subscriber has caught up; nothing may be lost or repeated.",
            StormScenario.RunAsync, Defaults.Storm);
        Add("compare", "The latency workload against --target (ours) and against Nchan (nginx + libnginx-mod-nchan, started on loopback): both figures and the ratios.",
            CompareScenario.RunAsync, Defaults.W1);

        var parsedArgs = root.Parse(args);
        if (parsedArgs.Errors.Count > 0)
        {
            foreach (var error in parsedArgs.Errors)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
            }

            console.WriteLine("Run with --help for usage.");
            return ExitCodes.CannotRun;
        }

        var invoked = await parsedArgs.InvokeAsync(new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,
            // Ctrl+C or SIGTERM cancels the run; stopping the AppHost (gateway, Api replicas, PostgreSQL) may take a while.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        }, cancellationToken);
        return parsedArgs.Action is null ? invoked : Math.Max(invoked, exitCode);
    }

    private static async Task<int> ExecuteAsync(string name, string[] args, RunSettings settings, Scenario scenario, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var progress = new LiveProgress(console);
        var report = new Report(name, settings.ReportsDirectory ?? Path.Combine(ReportsRoot(), DateTime.Now.ToString("yyyy-MM-dd'T'HH-mm-ss", CultureInfo.InvariantCulture)));
        report.Setup.Add($"command: `dotnet run -c Release --project perf/TaskEvents.LoadTests -- {string.Join(' ', args)}`");
        report.Setup.Add($"machine: {Environment.ProcessorCount} cores, load average at start {LoadAverage()}, harness open-file limit {ProcStats.OpenFileLimitOf("/proc/self")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        report.Setup.Add($"CPUs: {settings.Cpus?.Description ?? "the harness and the system it started share every CPU"}");
        try
        {
            await scenario(settings, report, progress, cancellationToken);
        }
        catch (UsageException ex)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.CannotRun;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The scenario's systems are stopped by now (each is disposed on its way out); say why, with the details.
            console.MarkupLineInterpolated($"[red]error:[/] the run could not finish: {ex.Message}");
            console.WriteLine(ex.ToString());
            return ExitCodes.CannotRun;
        }

        report.Setup.Add($"load average at end {LoadAverage()}");
        ApplyThresholds(settings, report);
        // One run's seconds make one chart; a sweep's steps each restart the clock, its chart is latency versus throughput.
        if (report.Intervals.Count > 0 && report.Intervals.Select(i => i.Run).Distinct().Count() == 1 && !report.Charts.Any(c => c.File == "latency-over-time.png"))
        {
            Charts.LatencyOverTime(report, "Delivery latency per second", report.Intervals, "latency-over-time.png");
        }

        ReportWriter.Write(report);
        foreach (var table in report.Tables)
        {
            var shown = new Table().Title(Markup.Escape(table.Title)).Border(TableBorder.Rounded);
            foreach (var header in table.Header)
            {
                shown.AddColumn(Markup.Escape(header));
            }

            foreach (var row in table.Rows)
            {
                shown.AddRow(row.Select(Markup.Escape).ToArray());
            }

            console.Write(shown);
        }

        foreach (var finding in report.Findings)
        {
            console.WriteLine(finding);
        }

        console.MarkupLineInterpolated($"Report: {Path.GetFullPath(report.Directory)}/summary.md (and summary.html, intervals.csv, charts)");
        if (report.Failures.Count > 0)
        {
            console.MarkupLineInterpolated($"[red]FAILED:[/] {string.Join("; ", report.Failures)}");
            return ExitCodes.Failed;
        }

        console.MarkupLine("[green]Passed.[/]");
        return ExitCodes.Passed;
    }

    private static void ApplyThresholds(RunSettings settings, Report report)
    {
        foreach (var run in report.CheckedRuns)
        {
            if (settings.MaxP99Ms is { } p99 && !(run.P99 <= p99))
            {
                report.Failures.Add($"{run.Label}: p99 {RunResult.Ms(run.P99)} ms > --max-p99-ms {p99}");
            }

            if (settings.MaxP50Ms is { } p50 && !(run.P50 <= p50))
            {
                report.Failures.Add($"{run.Label}: p50 {RunResult.Ms(run.P50)} ms > --max-p50-ms {p50}");
            }

            if (settings.MaxErrors is { } errors && run.Errors > errors)
            {
                report.Failures.Add($"{run.Label}: {run.Errors} errors > --max-errors {errors}");
            }
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>perf/reports in the repository (found from the working directory up), else ./perf/reports.</summary>
    private static string ReportsRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TaskEvents.sln")))
            {
                return Path.Combine(dir.FullName, "perf", "reports");
            }
        }

        return Path.Combine("perf", "reports");
    }

    /// <summary>Per-scenario defaults of the shared options.</summary>
    internal sealed record Defaults(int Tasks, int Subscribers, double Rate, int Duration, int Warmup, int Ramp, double Keepalive, string Preset)
    {
        /// <summary>The issue's W1: 100 tasks × 10 subscribers, 20 events/s per task.</summary>
        public static Defaults W1 { get; } = new(100, 10, 20, 30, 5, 5, 30, "default");

        public static Defaults Sweep { get; } = new(20, 10, 10, 10, 5, 3, 30, "default");

        public static Defaults Connections { get; } = new(10, 0, 0, 0, 0, 10, 5, "default");

        public static Defaults Storm { get; } = new(100, 10, 5, 30, 3, 5, 30, "low-latency");
    }

}
