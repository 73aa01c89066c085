using TaskEvents.Client;

namespace TaskEvents.Emitter.Runs;

/// <summary>
/// Appends a run's events to a task at a steady rate, in batches of whatever is due. With an outage delay set, a batch
/// that failed because the gateway was unavailable is sent again after the delay (same event ids, so never twice).
/// </summary>
internal sealed class PacedAppender(TaskEventsClient client, double eventsPerSecond, TimeProvider time)
{
    private const int MaxBatch = 100;

    public TimeSpan? OutageRetryDelay { get; init; }

    public Action<string>? OnOutage { get; init; }

    /// <summary>Appends all events; reports (sent, last seq) after each batch; returns the task's last seq.</summary>
    public async Task<long> AppendAsync(string taskId, IReadOnlyList<NewTaskEvent> events, Action<int, long>? onProgress, CancellationToken cancellationToken)
    {
        var pacer = new EventPacer(eventsPerSecond, time);
        var sent = 0;
        long lastSeq = 0;
        while (sent < events.Count)
        {
            var count = await pacer.WaitForDueAsync(Math.Min(MaxBatch, events.Count - sent), cancellationToken);
            var batch = events.Skip(sent).Take(count).ToArray();
            lastSeq = (await AppendBatchAsync(taskId, batch, cancellationToken)).LastSeq;
            sent += count;
            onProgress?.Invoke(sent, lastSeq);
        }

        return lastSeq;
    }

    private async Task<AppendResult> AppendBatchAsync(string taskId, NewTaskEvent[] batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await client.AppendAsync(taskId, batch, cancellationToken);
            }
            catch (TaskEventsUnavailableException ex) when (OutageRetryDelay is { } delay)
            {
                OnOutage?.Invoke($"{ex.Message}; sending the batch again in {delay.TotalSeconds:0} s");
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }
}
