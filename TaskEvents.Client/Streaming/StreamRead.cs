namespace TaskEvents.Client.Streaming;

/// <summary>The outcome of reading an open stream: the next message, or why the stream is over (and must be reopened).</summary>
internal readonly record struct StreamRead(StreamMessage? Message, string? ClosedBecause)
{
    public static StreamRead Closed(string reason) => new(null, reason);
}
