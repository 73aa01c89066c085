namespace TaskEvents.ReliabilityTests.Load;

/// <summary>One event received by a subscriber, with when it arrived.</summary>
internal readonly record struct ReceivedEvent(long Seq, string EventId, DateTimeOffset CreatedAt, DateTimeOffset ReceivedAt);

/// <summary>
/// Follows one task until it ends and records every event as it arrived, repeats and all: a client library's
/// <see cref="ClientSubscriber"/>, or a browser's way, <see cref="WireSubscriber"/>, whose record nothing has repaired.
/// </summary>
internal abstract class Subscriber(string taskId)
{
    private readonly List<ReceivedEvent> _received = [];
    private readonly TaskCompletionSource _firstEvent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string TaskId { get; } = taskId;

    /// <summary>"client" or "wire", for the tables.</summary>
    public abstract string Kind { get; }

    /// <summary>Completes when the task's end arrived; faults when the subscription failed.</summary>
    public Task Completion { get; protected set; } = Task.CompletedTask;

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

    protected void Record(long seq, string eventId, DateTimeOffset createdAt)
    {
        lock (_received)
        {
            _received.Add(new ReceivedEvent(seq, eventId, createdAt, DateTimeOffset.UtcNow));
        }

        _firstEvent.TrySetResult();
    }
}
