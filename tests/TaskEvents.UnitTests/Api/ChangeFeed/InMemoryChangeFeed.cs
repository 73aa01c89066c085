using TaskEvents.Api.ChangeFeed;
using TaskEvents.Api.Events;
using TaskEvents.Api.Wire;

namespace TaskEvents.UnitTests.Api.ChangeFeed;

/// <summary>How an append reaches the hub: as a notification with its events, by seq alone, or not at all.</summary>
internal enum Announcement
{
    /// <summary>A notification that carries the events.</summary>
    WithEvents,

    /// <summary>A notification by seq alone, as for events too large for NOTIFY: the tail reads them.</summary>
    SeqOnly,

    /// <summary>No notification (LISTEN was down): only a poll finds the change.</summary>
    None,
}

/// <summary>
/// The change source in memory, for tests of the hub without PostgreSQL (as mercure's LocalTransport and centrifuge's
/// MemoryBroker stand in for their real transports): appended events are kept here, where the tails read them, and
/// announced to the hub the way the LISTEN connection announces them.
/// </summary>
internal sealed class InMemoryChangeFeed : ITaskEventReader
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TaskKey, List<StoredEvent>> _events = [];
    private ITaskChangeHandler? _hub;
    private int _eventReads;

    /// <summary>How many times a tail read events from here (the database reads of the real source).</summary>
    public int EventReads => Volatile.Read(ref _eventReads);

    public void Attach(ITaskChangeHandler hub) => _hub = hub;

    /// <summary>Stores <paramref name="count"/> events after the task's last and announces them; returns them.</summary>
    public IReadOnlyList<StoredEvent> Append(TaskKey key, int count, Announcement announcement = Announcement.WithEvents)
    {
        List<StoredEvent> appended;
        long lastSeq;
        lock (_gate)
        {
            var events = EventsOf(key);
            appended = [.. Enumerable.Range(events.Count + 1, count).Select(seq => Event(key, seq))];
            events.AddRange(appended);
            lastSeq = events.Count;
        }

        switch (announcement)
        {
            case Announcement.WithEvents:
                _hub?.Announce(key, lastSeq, appended);
                break;
            case Announcement.SeqOnly:
                _hub?.Announce(key, lastSeq);
                break;
        }

        return appended;
    }

    /// <summary>What the polling fallback does: every subscribed task's last seq; true when any was news.</summary>
    public bool Poll()
    {
        var changed = false;
        foreach (var key in _hub?.SubscribedTasks() ?? [])
        {
            long lastSeq;
            lock (_gate)
            {
                lastSeq = EventsOf(key).Count;
            }

            changed |= _hub!.Announce(key, lastSeq);
        }

        return changed;
    }

    public Task<long> ReadLastSeqAsync(TaskKey key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult((long)EventsOf(key).Count);
        }
    }

    public Task<List<StoredEvent>> ReadEventsAsync(TaskKey key, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _eventReads);
        lock (_gate)
        {
            return Task.FromResult(EventsOf(key).Where(e => e.Seq > afterSeq).Take(limit).ToList());
        }
    }

    public static StoredEvent Event(TaskKey key, long seq) =>
        StoredEventSerializer.Serialize(seq, $"e{seq}", key.TaskId, "step", null, null, null, null, "{}", DateTime.UnixEpoch.AddSeconds(seq));

    private List<StoredEvent> EventsOf(TaskKey key)
    {
        if (!_events.TryGetValue(key, out var events))
        {
            events = [];
            _events.Add(key, events);
        }

        return events;
    }
}
