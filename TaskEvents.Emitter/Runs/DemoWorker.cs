using TaskEvents.Client;

namespace TaskEvents.Emitter.Runs;

/// <summary>
/// Keeps a few demo tasks going: each slot creates a task, plays an agent run into it at the configured rate and,
/// once the run completes, starts the next, until stopped or <see cref="WorkerSettings.MaxRuns"/> runs have started.
/// </summary>
internal sealed class DemoWorker(TaskEventsClient client, WorkerSettings settings, TextWriter output, TimeProvider time)
{
    private static readonly TimeSpan OutageRetryDelay = TimeSpan.FromSeconds(5);

    private readonly Lock _outputGate = new();
    private int _started;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(Enumerable.Range(1, settings.Tasks).Select(slot => RunSlotAsync(slot, cancellationToken)));
    }

    private async Task RunSlotAsync(int slot, CancellationToken cancellationToken)
    {
        var random = new Random(Environment.TickCount ^ (slot * 7919));
        while (!cancellationToken.IsCancellationRequested)
        {
            if (settings.MaxRuns is { } maxRuns && Interlocked.Increment(ref _started) > maxRuns)
            {
                return;
            }

            var events = AgentRunScript.Create(random, random.Next(settings.MinEventsPerRun, settings.MaxEventsPerRun + 1), complete: true);
            var task = await CreateTaskAsync($"demo-{slot}-{Guid.CreateVersion7():N}", cancellationToken);
            Write($"started {task.TaskId} ({events.Count} events)");
            var appender = new PacedAppender(client, settings.EventsPerSecond, time)
            {
                OutageRetryDelay = OutageRetryDelay,
                OnOutage = message => Write($"{task.TaskId}: {message}"),
            };
            var lastSeq = await appender.AppendAsync(task.TaskId, events, null, cancellationToken);
            Write($"completed {task.TaskId}: {events.Count} events, last seq {lastSeq}");
        }
    }

    /// <summary>Waits out a gateway that is not up yet (it may start after the worker) instead of giving up.</summary>
    private async Task<TaskInfo> CreateTaskAsync(string taskId, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await client.CreateTaskAsync(taskId, cancellationToken: cancellationToken);
            }
            catch (TaskEventsUnavailableException ex)
            {
                Write($"{ex.Message}; trying again in {OutageRetryDelay.TotalSeconds:0} s");
                await Task.Delay(OutageRetryDelay, time, cancellationToken);
            }
        }
    }

    private void Write(string line)
    {
        lock (_outputGate)
        {
            output.WriteLine(line);
        }
    }
}
