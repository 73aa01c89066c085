using System.Diagnostics;
using System.Text.Json;

namespace TaskEvents.ReliabilityTests.Load;

/// <summary>
/// Appends with TaskEvents.Client at a steady rate, round robin over the tasks, and records what the server
/// acknowledged. When the client gives up (every attempt failed), the same events, with the same event ids, are sent
/// again until they are acknowledged: the producer never loses or changes an event, so nothing may be lost downstream.
/// </summary>
internal sealed class Producer(TaskEventsClient client, Acknowledgements acknowledgements, int payloadBytes = 200)
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    private readonly string _filler = new('x', payloadBytes);
    private int _gaveUp;

    /// <summary>Appends for which the client gave up after its own retries (then sent again).</summary>
    public int GaveUp => Volatile.Read(ref _gaveUp);

    /// <summary>Appends one event at a time at <paramref name="eventsPerSecond"/> until <paramref name="stop"/>.</summary>
    public async Task RunAsync(IReadOnlyList<string> taskIds, double eventsPerSecond, TimeSpan patience, CancellationToken stop)
    {
        var interval = TimeSpan.FromSeconds(1 / eventsPerSecond);
        var clock = Stopwatch.StartNew();
        var next = TimeSpan.Zero;
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            // Behind schedule (after an outage) the producer resumes its rate; it does not burst to make up.
            next = next + interval < clock.Elapsed ? clock.Elapsed : next + interval;
            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            await AppendUntilAcknowledgedAsync(taskIds[i % taskIds.Count], [Event(i)], patience);
        }
    }

    /// <summary>Appends <paramref name="count"/> events to <paramref name="taskId"/> back to back, one request each.</summary>
    public async Task BurstAsync(string taskId, int count, TimeSpan patience)
    {
        for (var i = 0; i < count; i++)
        {
            await AppendUntilAcknowledgedAsync(taskId, [Event(i)], patience);
        }
    }

    /// <summary>Ends each task, so its subscribers' enumerations complete.</summary>
    public Task CompleteAsync(IEnumerable<string> taskIds, TimeSpan patience) =>
        Task.WhenAll(taskIds.Select(taskId => AppendUntilAcknowledgedAsync(taskId, [new NewTaskEvent(TerminalEventTypes.Completed) { EventId = Guid.NewGuid().ToString() }], patience)));

    /// <summary>
    /// Sends the same events (same ids) until the server acknowledges them; fails the run when that takes longer than
    /// <paramref name="patience"/>: an append that never gets through is a hang.
    /// </summary>
    public async Task AppendUntilAcknowledgedAsync(string taskId, IReadOnlyList<NewTaskEvent> events, TimeSpan patience)
    {
        using var deadline = new CancellationTokenSource(patience);
        while (true)
        {
            try
            {
                acknowledgements.Add(taskId, await client.AppendAsync(taskId, events, deadline.Token));
                return;
            }
            catch (TaskEventsUnavailableException)
            {
                Interlocked.Increment(ref _gaveUp);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"An append to {taskId} was not acknowledged within {patience.TotalSeconds} s.");
            }

            try
            {
                await Task.Delay(RetryPause, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"An append to {taskId} was not acknowledged within {patience.TotalSeconds} s.");
            }
        }
    }

    private NewTaskEvent Event(int index) => new("progress_update")
    {
        EventId = Guid.NewGuid().ToString(),
        Payload = JsonSerializer.SerializeToElement(new { index, filler = _filler }),
    };
}
