namespace TaskEvents.Client.Streaming;

/// <summary>One parsed SSE message: an event, a control message, or data the client cannot read (skipped; a gap fill recovers it).</summary>
internal sealed record StreamMessage(TaskEvent? Event, ControlMessage? Control)
{
    public static readonly StreamMessage Unreadable = new(null, null);
}
