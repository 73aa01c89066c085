using System.CommandLine;
using TaskEvents.Emitter.Cli;
using TaskEvents.Emitter.Gateway;
using TaskEvents.Emitter.Runs;

namespace TaskEvents.Emitter.Commands;

/// <summary>The root command's action (no subcommand): the demo worker the AppHost runs.</summary>
internal static class WorkerCommand
{
    public static void AddTo(RootCommand root, GatewayOptions gateway, TextWriter output, TextWriter error)
    {
        var tasks = new Option<int>("--tasks") { Description = "Demo tasks kept going at once", DefaultValueFactory = _ => 3 }.InRange(1, 100);
        var rate = new Option<double>("--rate") { Description = "Events per second per task", DefaultValueFactory = _ => 2 }.InRange(0.1, 10_000);
        var maxRuns = new Option<int?>("--max-runs") { Description = "Stop after this many runs have started (default: never)" }.AtLeast(1);
        root.Options.Add(tasks);
        root.Options.Add(rate);
        root.Options.Add(maxRuns);
        root.SetAction((result, cancellationToken) => FailureReporter.RunAsync(
            error,
            () => RunAsync(gateway.Read(result), new WorkerSettings(result.GetValue(tasks), result.GetValue(rate), result.GetValue(maxRuns)), output, cancellationToken),
            cancellationToken));
    }

    private static async Task<int> RunAsync(GatewaySettings gateway, WorkerSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        using var connection = new GatewayConnection(gateway);
        var limit = settings.MaxRuns is { } maxRuns ? $", stopping after {maxRuns} runs" : "";
        await output.WriteLineAsync($"worker: {settings.Tasks} demo task(s) at {settings.EventsPerSecond:0.#} events/s each via {connection.Address}{limit}");
        try
        {
            await new DemoWorker(connection.Client, settings, output, TimeProvider.System).RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the worker's normal end.
        }

        await output.WriteLineAsync("worker stopped");
        return ExitCodes.Success;
    }
}
