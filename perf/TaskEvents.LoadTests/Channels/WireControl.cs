namespace TaskEvents.LoadTests.Channels;

/// <summary>What a stream control message asks of the subscriber.</summary>
internal enum WireControl
{
    None,
    Reconnect,
    End,
}
