using System.Diagnostics;

namespace TaskEvents.Api.Events;

/// <summary>
/// An event as read from the store, serialized once: <see cref="SseFrame"/> is its whole
/// <c>id:</c>/<c>data:</c> frame, written as is to every subscriber; <see cref="Json"/> is the data part.
/// <see cref="AppendContext"/> is the trace of the request that appended it (default: none), never sent to clients.
/// </summary>
public sealed record StoredEvent(
    long Seq, string EventType, DateTime CreatedAt, ReadOnlyMemory<byte> SseFrame, ReadOnlyMemory<byte> Json, ActivityContext AppendContext = default);
