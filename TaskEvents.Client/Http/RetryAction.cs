namespace TaskEvents.Client.Http;

/// <summary>The ways to go on after a refused answer.</summary>
internal enum RetryAction
{
    /// <summary>Send again at once with a token asked for with forceRefresh (a 401, the first time).</summary>
    RefreshToken,

    /// <summary>A transient failure: send again after <see cref="RetryPolicy.NextDelay"/>.</summary>
    RetryLater,

    /// <summary>Final: the answer becomes a typed exception.</summary>
    Fail,
}
