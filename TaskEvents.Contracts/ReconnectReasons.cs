namespace TaskEvents.Contracts;

/// <summary>The <c>reason</c> of a <c>reconnect</c> control message.</summary>
public static class ReconnectReasons
{
    /// <summary>The process is stopping: come back (to another replica) after a short wait.</summary>
    public const string ServerShutdown = "server_shutdown";

    /// <summary>The stream sent its most events (<c>Sse:MaxEventsPerStream</c>): come back at once from the last seq.</summary>
    public const string EventLimitReached = "event_limit_reached";

    /// <summary>The token the stream was opened with expired: come back at once with a fresh one.</summary>
    public const string TokenExpired = "token_expired";

    /// <summary>
    /// The client read more slowly than the gateway could keep its stream's recent events (<c>StreamFanOut:RingCapacity</c>):
    /// come back at once from the last seq; the gateway then serves it on a stream of its own.
    /// </summary>
    public const string FellBehind = "fell_behind";
}
