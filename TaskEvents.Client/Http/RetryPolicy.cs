using System.Net;

namespace TaskEvents.Client.Http;

/// <summary>
/// The client's one policy for a refused answer, used by REST requests and stream opens alike: a 401 asks the token
/// provider for a fresh token once; 408, 429 and 5xx are tried again after a full-jitter backoff that never waits less
/// than the server's Retry-After; anything else is final. How many attempts to make is the caller's: a request gives up,
/// a subscription does not.
/// </summary>
internal sealed class RetryPolicy(FullJitterBackoff backoff, bool canRefreshToken, TimeProvider time)
{
    /// <param name="tokenRefreshed">The refused attempt already carried a token asked for with forceRefresh: a 401 is then final.</param>
    public RetryDecision Decide(HttpResponseMessage refused, bool tokenRefreshed)
    {
        if (refused.StatusCode == HttpStatusCode.Unauthorized && canRefreshToken && !tokenRefreshed)
        {
            return RetryDecision.RefreshToken;
        }

        return TransientFailures.IsTransient(refused.StatusCode)
            ? RetryDecision.RetryLater(TransientFailures.RetryAfter(refused.Headers, time))
            : RetryDecision.Fail;
    }

    /// <summary>The wait before the next attempt: the backoff's next delay, but never less than the server asked for.</summary>
    public TimeSpan NextDelay(TimeSpan? retryAfter)
    {
        var delay = backoff.NextDelay();
        return retryAfter > delay ? retryAfter.Value : delay;
    }

    /// <summary>Progress was made (an event arrived): the next failure waits as little as the first.</summary>
    public void Reset() => backoff.Reset();
}
