namespace TaskEvents.Gateway.FanOut;

/// <summary>The frames an Api stream sends (see the Api's <c>SseFrameWriter</c>).</summary>
internal enum SseFrameKind
{
    /// <summary><c>id: seq</c> and <c>data:</c>: one event.</summary>
    Event,

    /// <summary>A comment line: a keepalive.</summary>
    Keepalive,

    /// <summary>The <c>retry:</c> hint that opens a stream.</summary>
    Retry,

    /// <summary>An <c>end</c> control message: the task ended.</summary>
    End,

    /// <summary>A <c>reconnect</c> control message, with its reason.</summary>
    Reconnect,

    /// <summary>Anything else; passed on as it came.</summary>
    Other,
}
