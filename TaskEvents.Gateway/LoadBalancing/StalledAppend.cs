namespace TaskEvents.Gateway.LoadBalancing;

/// <summary>
/// Set on a request whose append <see cref="AppendStallWatchMiddleware"/> cancelled because its replica stopped
/// answering. The replica may still store it when it wakes up: only an append whose every event carries an event_id can
/// be sent again safely. A marker: the failed replica is the proxy feature's ProxiedDestination.
/// </summary>
internal sealed class StalledAppend
{
    public static readonly StalledAppend Marker = new();

    private StalledAppend()
    {
    }
}
