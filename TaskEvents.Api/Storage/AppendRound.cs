using TaskEvents.Api.Events;

namespace TaskEvents.Api.Storage;

/// <summary>
/// Decides, in memory and in arrival order, what one transaction's requests store: which events are
/// repeats (of stored events or of earlier requests in the round), which seqs the new ones get, and which
/// requests are refused because the task ended before them.
/// </summary>
internal sealed class AppendRound
{
    private readonly Dictionary<string, long> _seqByEventId = new(StringComparer.Ordinal);

    public long LastSeq { get; private set; }

    public long FirstFreshSeq { get; private set; }

    public string Status { get; private set; } = TaskLifecycle.Running;

    /// <summary>The events to insert, in seq order from <see cref="FirstFreshSeq"/>.</summary>
    public List<NewEvent> Fresh { get; } = [];

    public void Start(long lastSeq, string status)
    {
        LastSeq = lastSeq;
        FirstFreshSeq = lastSeq + 1;
        Status = status;
    }

    public void KnowStored(string eventId, long seq) => _seqByEventId[eventId] = seq;

    public AppendOutcome Add(IReadOnlyList<NewEvent> request)
    {
        var hasNew = request.Any(e => !_seqByEventId.ContainsKey(e.EventId));
        if (hasNew && Status != TaskLifecycle.Running)
        {
            return new AppendOutcome.TaskClosed(Status);
        }

        var appended = new List<AppendedEvent>(request.Count);
        foreach (var newEvent in request)
        {
            if (_seqByEventId.TryGetValue(newEvent.EventId, out var storedSeq))
            {
                appended.Add(new AppendedEvent(storedSeq, newEvent.EventId, Duplicate: true));
                continue;
            }

            LastSeq++;
            _seqByEventId[newEvent.EventId] = LastSeq;
            Fresh.Add(newEvent);
            Status = TaskLifecycle.SetBy(newEvent.EventType) ?? Status;
            appended.Add(new AppendedEvent(LastSeq, newEvent.EventId, Duplicate: false));
        }

        return new AppendOutcome.Appended(LastSeq, appended);
    }
}
