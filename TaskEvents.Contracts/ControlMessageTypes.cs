namespace TaskEvents.Contracts;

/// <summary>The <c>type</c> of a stream control message (plain <c>data:</c> JSON without an id, as the seed sent them).</summary>
public static class ControlMessageTypes
{
    /// <summary>The task ended; carries its final <c>status</c>. The client completes after reading up to <c>last_seq</c>.</summary>
    public const string End = "end";

    /// <summary>The server closes the stream before the task ended; carries a <c>reason</c> (<see cref="ReconnectReasons"/>).</summary>
    public const string Reconnect = "reconnect";
}
