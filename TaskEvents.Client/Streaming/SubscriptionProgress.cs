namespace TaskEvents.Client.Streaming;

/// <summary>
/// Where one enumeration of a subscription stands: the last seq it yielded, and how its latest connection ended
/// (the task ended, or why and how to reconnect).
/// </summary>
internal sealed class SubscriptionProgress(long lastSeq)
{
    public long LastSeq { get; set; } = lastSeq;

    public bool Ended { get; private set; }

    /// <summary>Why the latest connection closed; null while it is open and once the task ended.</summary>
    public string? ClosedBecause { get; private set; }

    /// <summary>The server asked to reconnect for a reason other than its own shutdown: no backoff.</summary>
    public bool ReconnectAtOnce { get; private set; }

    /// <summary>The stream's token expired: open the next one with a freshly refreshed token.</summary>
    public bool RefreshToken { get; private set; }

    public void Opened() => (ClosedBecause, ReconnectAtOnce, RefreshToken) = (null, false, false);

    public void Closed(string because, bool reconnectAtOnce = false, bool refreshToken = false) =>
        (ClosedBecause, ReconnectAtOnce, RefreshToken) = (because, reconnectAtOnce, refreshToken);

    public void End() => Ended = true;
}
