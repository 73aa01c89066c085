namespace TaskEvents.Api.ChangeFeed;

/// <summary>How this process currently learns about appends.</summary>
public enum ListenerMode
{
    Starting,

    /// <summary>LISTEN/NOTIFY: changes arrive as they commit.</summary>
    Listening,

    /// <summary>The LISTEN connection is down: subscribed tasks are polled, with backoff, until it is back.</summary>
    Polling,
}
