using TaskEvents.Contracts;

namespace TaskEvents.Client.Streaming;

/// <summary>
/// A stream control message (<c>data:</c> JSON without id): <c>reconnect</c> with a reason, or <c>end</c> with the task's final status.
/// </summary>
internal sealed record ControlMessage(string Type, long LastSeq, string? Reason, string? Status)
{
    public const string End = ControlMessageTypes.End;
    public const string Reconnect = ControlMessageTypes.Reconnect;

    /// <summary>The server asked to come back elsewhere because it is stopping: wait a little so replicas are not stampeded.</summary>
    public bool IsServerShutdown => Type == Reconnect && Reason == ReconnectReasons.ServerShutdown;

    /// <summary>The stream's token expired: come back at once with a fresh one (the provider is asked with forceRefresh).</summary>
    public bool IsTokenExpired => Type == Reconnect && Reason == ReconnectReasons.TokenExpired;
}
