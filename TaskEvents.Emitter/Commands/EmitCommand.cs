using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using TaskEvents.Client;
using TaskEvents.Emitter.Cli;
using TaskEvents.Emitter.Gateway;
using TaskEvents.Emitter.Runs;

namespace TaskEvents.Emitter.Commands;

/// <summary><c>emit --task demo-1 --count 200 --rate 50 [--complete]</c>: appends an agent run's events at a steady rate.</summary>
internal static class EmitCommand
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(1);

    public static Command Create(GatewayOptions gateway, TextWriter output, TextWriter error)
    {
        var task = new Option<string>("--task") { Description = "Task to append to (created when missing)", Required = true };
        var count = new Option<int>("--count") { Description = "How many events to append", DefaultValueFactory = _ => 200 }.InRange(1, 1_000_000);
        var rate = new Option<double>("--rate") { Description = "Events per second", DefaultValueFactory = _ => 50 }.InRange(0.1, 100_000);
        var complete = new Option<bool>("--complete") { Description = "End the task: the last event is task_completed" };
        var command = new Command("emit", "Append a realistic agent run's events to a task at a steady rate") { task, count, rate, complete };
        command.SetAction((result, cancellationToken) => FailureReporter.RunAsync(
            error,
            () => RunAsync(gateway.Read(result), result.GetValue(task)!, result.GetValue(count), result.GetValue(rate), result.GetValue(complete), output, cancellationToken),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        GatewaySettings settings, string taskId, int count, double rate, bool complete, TextWriter output, CancellationToken cancellationToken)
    {
        using var connection = new GatewayConnection(settings);
        var client = connection.Client;
        await EnsureRunningTaskAsync(client, taskId, cancellationToken);
        var events = AgentRunScript.Create(Random.Shared, count, complete);
        await output.WriteLineAsync($"emitting {count} events to {taskId} at {rate:0.#}/s via {connection.Address}");

        var stopwatch = Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        var lastSeq = await new PacedAppender(client, rate, TimeProvider.System).AppendAsync(taskId, events, (sent, seq) =>
        {
            if (sent < count && stopwatch.Elapsed - reported >= ProgressEvery)
            {
                reported = stopwatch.Elapsed;
                output.WriteLine($"  {sent}/{count} events ({sent / reported.TotalSeconds:0.0}/s), last seq {seq}");
            }
        }, cancellationToken);

        var seconds = stopwatch.Elapsed.TotalSeconds;
        await output.WriteLineAsync(
            $"emitted {count} events to {taskId} in {seconds:0.0} s ({count / Math.Max(seconds, 0.001):0.0}/s), last seq {lastSeq}{(complete ? ", task completed" : "")}");
        return ExitCodes.Success;
    }

    private static async Task EnsureRunningTaskAsync(TaskEventsClient client, string taskId, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateTaskAsync(taskId, JsonSerializer.SerializeToElement(new { source = "emitter" }), cancellationToken);
        }
        catch (TaskAlreadyExistsException)
        {
            var task = await client.GetTaskAsync(taskId, cancellationToken);
            if (!task.IsRunning)
            {
                throw new TaskEventsException($"task '{taskId}' has ended ({task.Status}); emit to another task");
            }
        }
    }
}
