using System.CommandLine;
using TaskEvents.Client;
using TaskEvents.Emitter.Cli;
using TaskEvents.Emitter.Gateway;
using TaskEvents.Emitter.Output;
using TaskEvents.Measurement;

namespace TaskEvents.Emitter.Commands;

/// <summary><c>watch --task demo-1 [--since 0]</c>: follows a task live and prints each event with its delivery latency.</summary>
internal static class WatchCommand
{
    public static Command Create(GatewayOptions gateway, TextWriter output, TextWriter error)
    {
        var task = new Option<string>("--task") { Description = "Task to follow", Required = true };
        var since = new Option<long>("--since") { Description = "Start after this seq", DefaultValueFactory = _ => 0 }.InRange(0, long.MaxValue);
        var keepalive = new Option<double>("--keepalive")
        {
            Description = "The server's keepalive interval in seconds; a stream silent for 2.5 times as long is reopened",
            DefaultValueFactory = _ => 30,
        }.InRange(0.05, 300);
        var command = new Command("watch", "Follow a task live and print each event with its delivery latency") { task, since, keepalive };
        command.SetAction((result, cancellationToken) => FailureReporter.RunAsync(
            error,
            () => RunAsync(gateway.Read(result), result.GetValue(task)!, result.GetValue(since), result.GetValue(keepalive), output, cancellationToken),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        GatewaySettings settings, string taskId, long since, double keepaliveSeconds, TextWriter output, CancellationToken cancellationToken)
    {
        using var connection = new GatewayConnection(settings, TimeSpan.FromSeconds(keepaliveSeconds));
        var client = connection.Client;

        // A plain read first: an unreachable gateway, a bad token or an unknown task fail fast here, where the stream would keep retrying.
        var task = await client.GetTaskAsync(taskId, cancellationToken);
        await output.WriteLineAsync($"watching {taskId} ({task.Status}, last seq {task.LastSeq}) after seq {since} via {connection.Address}");

        var latencies = new List<double>();
        TaskEvent? last = null;
        await foreach (var received in client.SubscribeAsync(taskId, since, cancellationToken))
        {
            var latency = DateTimeOffset.UtcNow - received.CreatedAt;
            latencies.Add(latency.TotalMilliseconds);
            await output.WriteLineAsync(EventLine.Format(received, latency));
            last = received;
        }

        var ending = last is { IsTerminal: true } ? $" ({last.EventType})" : "";
        var summary = LatencySummary.Of(latencies);
        await output.WriteLineAsync($"end of {taskId}{ending}: {summary.Count} events, {LatencyLine.Format(summary)}");
        return ExitCodes.Success;
    }
}
