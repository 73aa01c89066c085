using TaskEvents.Api.Events;

namespace TaskEvents.Api.ChangeFeed;

/// <summary>
/// What a change source (the LISTEN connection and its polling fallback) tells the hub, and what it asks of it: the
/// source is to the hub what centrifuge's Broker is to its node, and the hub is the handler it reports to.
/// </summary>
public interface ITaskChangeHandler
{
    /// <summary>The task now ends at <paramref name="lastSeq"/>, with the new events when the change carried them; true when that was news here.</summary>
    bool Announce(TaskKey key, long lastSeq, IReadOnlyList<StoredEvent>? events = null);

    /// <summary>The tasks with subscribers here: the only ones a source that polls has to ask about.</summary>
    IReadOnlyList<TaskKey> SubscribedTasks();
}
