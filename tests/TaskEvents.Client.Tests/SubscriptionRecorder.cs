namespace TaskEvents.Client.Tests;

/// <summary>Runs a subscription in the background and lets a test await how many events arrived or that it ended.</summary>
internal sealed class SubscriptionRecorder : IAsyncDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);

    private readonly List<TaskEvent> _events = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _cancellation = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SubscriptionRecorder(TaskEventsClient client, string taskId, long sinceSeq)
    {
        Completion = RunAsync(client, taskId, sinceSeq);
    }

    /// <summary>Completes when the enumeration ends (or faults with its exception).</summary>
    public Task Completion { get; }

    public IReadOnlyList<TaskEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<long> Seqs => [.. Events.Select(e => e.Seq)];

    public static SubscriptionRecorder Start(TaskEventsClient client, string taskId, long sinceSeq = 0) => new(client, taskId, sinceSeq);

    public async Task WaitForCountAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_events.Count >= count)
                {
                    return;
                }

                changed = _changed.Task;
            }

            if (Completion.IsCompleted)
            {
                await Completion;
                throw new InvalidOperationException($"The subscription ended after {Events.Count} of {count} events.");
            }

            var remaining = deadline - DateTime.UtcNow;

            try
            {
                await Task.WhenAny(changed, Completion).WaitAsync(remaining);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"Only {Events.Count} of {count} events arrived: seqs {string.Join(',', Seqs)}.");
            }
        }
    }

    public async Task WaitForCompletionAsync(TimeSpan? timeout = null) => await Completion.WaitAsync(timeout ?? DefaultWait);

    private async Task RunAsync(TaskEventsClient client, string taskId, long sinceSeq)
    {
        await Task.Yield();
        await foreach (var received in client.SubscribeAsync(taskId, sinceSeq, _cancellation.Token))
        {
            TaskCompletionSource changed;
            lock (_gate)
            {
                _events.Add(received);
                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            changed.SetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cancellation.CancelAsync();
        try
        {
            await Completion;
        }
        catch (Exception)
        {
            // Cancelled, or a failure the test has already looked at.
        }

        _cancellation.Dispose();
    }
}
