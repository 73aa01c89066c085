using TaskEvents.Api.Events;

namespace TaskEvents.Api.ChangeFeed;

/// <summary>
/// The reads behind the change feed: where a task ends when a tail starts, and the events a change did not carry (too
/// large for a notification, a gap, a stream fallen behind the tail). The event store in production.
/// </summary>
public interface ITaskEventReader
{
    /// <summary>The task's last seq; 0 when it has no events or does not exist.</summary>
    Task<long> ReadLastSeqAsync(TaskKey key, CancellationToken cancellationToken);

    /// <summary>Events with seq greater than <paramref name="afterSeq"/>, in seq order, at most <paramref name="limit"/>.</summary>
    Task<List<StoredEvent>> ReadEventsAsync(TaskKey key, long afterSeq, int limit, CancellationToken cancellationToken);
}
