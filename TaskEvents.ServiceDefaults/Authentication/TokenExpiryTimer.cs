namespace TaskEvents.ServiceDefaults.Authentication;

/// <summary>How long a stream's token-expiry timer is armed for, wherever a stream is served (the Api, the gateway).</summary>
public static class TokenExpiryTimer
{
    // The longest delay a CancellationTokenSource's timer takes (about 49 days). A token that outlives it ends its
    // stream early then, which keeps the promise: a stream never outlives its token.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>Until <paramref name="expiresAt"/>: zero if past, at most the longest timer.</summary>
    public static TimeSpan Until(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var left = expiresAt - now;
        return left <= TimeSpan.Zero ? TimeSpan.Zero : left < LongestTimer ? left : LongestTimer;
    }
}
