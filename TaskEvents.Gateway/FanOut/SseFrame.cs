namespace TaskEvents.Gateway.FanOut;

/// <summary>One frame of an upstream stream, as the bytes the Api sent (its blank line included).</summary>
/// <param name="Seq">The event's seq; for other frames, 0.</param>
/// <param name="Reason">A reconnect's reason; otherwise null.</param>
internal readonly record struct SseFrame(SseFrameKind Kind, long Seq, ReadOnlyMemory<byte> Bytes, string? Reason = null);
