namespace TaskEvents.Client;

/// <summary>The seq an appended event got; <see cref="Duplicate"/> when the task had this event_id already (a retry).</summary>
public sealed record AppendedEvent(long Seq, string EventId, bool Duplicate);
