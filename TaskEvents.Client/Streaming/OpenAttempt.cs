namespace TaskEvents.Client.Streaming;

/// <summary>An attempt to open a stream: the connection, or a transient failure to wait out (with the server's Retry-After, if any).</summary>
internal sealed record OpenAttempt(SseConnection? Connection, string? Failure, TimeSpan? RetryAfter)
{
    public static OpenAttempt Failed(string failure, TimeSpan? retryAfter = null) => new(null, failure, retryAfter);
}
