namespace TaskEvents.Api.Events;

/// <summary>
/// An event as read from the store, serialized once: every subscriber that is sent it writes the same bytes.
/// </summary>
public sealed record StoredEvent(long Seq, string EventType, DateTime CreatedAt, ReadOnlyMemory<byte> Json);
