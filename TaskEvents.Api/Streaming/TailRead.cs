using TaskEvents.Api.Events;

namespace TaskEvents.Api.Streaming;

/// <summary>What a subscriber's cursor finds in a task tail.</summary>
public enum TailReadStatus
{
    /// <summary>Events after the cursor were in memory and are returned.</summary>
    Served,

    /// <summary>The cursor is at the newest known event: wait for a change.</summary>
    CaughtUp,

    /// <summary>The events after the cursor are older than the tail keeps: read them from the database.</summary>
    Behind,
}

public readonly record struct TailRead(TailReadStatus Status, IReadOnlyList<StoredEvent> Events)
{
    public static readonly TailRead CaughtUp = new(TailReadStatus.CaughtUp, []);
    public static readonly TailRead Behind = new(TailReadStatus.Behind, []);
}
