namespace TaskEvents.ReliabilityTests.Load;

/// <summary>One event received by a subscriber, with when it arrived.</summary>
internal readonly record struct ReceivedEvent(long Seq, string EventId, DateTimeOffset CreatedAt, DateTimeOffset ReceivedAt);

/// <summary>
/// Follows one task with TaskEvents.Client's <c>SubscribeAsync</c>, as a user's service would, and records every event
/// it yields until the task ends. <paramref name="afterEach"/> paces a slow reader.
/// </summary>
internal sealed class Subscriber
{
    private readonly List<ReceivedEvent> _received = [];
    private readonly TaskCompletionSource _firstEvent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Subscriber(string taskId) => TaskId = taskId;

    public string TaskId { get; }

    /// <summary>Completes when the task's end was yielded; faults when the subscription failed.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public Task FirstEvent => _firstEvent.Task;

    public IReadOnlyList<ReceivedEvent> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_received)
            {
                return _received.Count;
            }
        }
    }

    /// <summary>When the first event with seq ≥ <paramref name="seq"/> arrived, or null if none has yet.</summary>
    public DateTimeOffset? ArrivalOf(long seq)
    {
        lock (_received)
        {
            return _received.Count > 0 && _received[^1].Seq >= seq ? _received.First(r => r.Seq >= seq).ReceivedAt : null;
        }
    }

    public static Subscriber Start(TaskEventsClient client, string taskId, CancellationToken cancellationToken, Func<Task>? afterEach = null)
    {
        var subscriber = new Subscriber(taskId);
        subscriber.Completion = Task.Run(() => subscriber.FollowAsync(client, afterEach, cancellationToken), CancellationToken.None);
        return subscriber;
    }

    private async Task FollowAsync(TaskEventsClient client, Func<Task>? afterEach, CancellationToken cancellationToken)
    {
        await foreach (var received in client.SubscribeAsync(TaskId, 0, cancellationToken))
        {
            lock (_received)
            {
                _received.Add(new ReceivedEvent(received.Seq, received.EventId, received.CreatedAt, DateTimeOffset.UtcNow));
            }

            _firstEvent.TrySetResult();
            if (afterEach is not null)
            {
                await afterEach();
            }
        }
    }
}
