namespace TaskEvents.LoadTests.Channels;

/// <summary>One SSE message as the harness needs it: an event's seq and publisher timestamp, or a control message.</summary>
internal readonly record struct WireMessage(long Seq, long Sent, WireControl Control);
