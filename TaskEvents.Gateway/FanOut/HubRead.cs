namespace TaskEvents.Gateway.FanOut;

internal enum HubReadStatus
{
    /// <summary>The stream goes on; <see cref="HubRead.Changed"/> completes when there is more.</summary>
    Open,

    /// <summary>The task's <c>end</c> was written: the stream is over.</summary>
    Ended,

    /// <summary>The subscriber's next frame is no longer held: it must reconnect.</summary>
    Behind,

    /// <summary>The shared stream could not go on: its subscribers must reconnect.</summary>
    Failed,
}

/// <summary>What one read of a hub wrote into a subscriber's response.</summary>
/// <param name="Next">The number of the next frame due.</param>
/// <param name="LastSeq">The last event's seq written, when <paramref name="Events"/> is above 0.</param>
/// <param name="Bytes">Whether anything was written (events, keepalives or the end).</param>
internal readonly record struct HubRead(HubReadStatus Status, long Next, long LastSeq, int Events, bool Bytes, Task Changed);
