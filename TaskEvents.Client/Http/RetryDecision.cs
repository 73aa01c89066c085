namespace TaskEvents.Client.Http;

/// <summary>What <see cref="RetryPolicy"/> makes of a refused answer, with the server's Retry-After when it gave one.</summary>
internal readonly record struct RetryDecision(RetryAction Action, TimeSpan? RetryAfter)
{
    public static RetryDecision RefreshToken => new(RetryAction.RefreshToken, null);

    public static RetryDecision Fail => new(RetryAction.Fail, null);

    public static RetryDecision RetryLater(TimeSpan? retryAfter) => new(RetryAction.RetryLater, retryAfter);
}
