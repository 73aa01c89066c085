namespace TaskEvents.Api.Storage;

/// <summary>What an append did: stored (some events may be idempotent repeats), or why it stored nothing.</summary>
public abstract record AppendOutcome
{
    public sealed record Appended(long LastSeq, IReadOnlyList<AppendedEvent> Events) : AppendOutcome;

    public sealed record TaskNotFound : AppendOutcome;

    public sealed record TaskClosed(string Status) : AppendOutcome;
}

/// <summary>One event's assigned seq; <see cref="Duplicate"/> when its event_id was stored before.</summary>
public sealed record AppendedEvent(long Seq, string EventId, bool Duplicate);
