using System.Net;
using Microsoft.Extensions.Logging;

namespace TaskEvents.Client.Http;

/// <summary>
/// Sends one REST request with bounded attempts: connection failures and attempt timeouts are retried, refused answers
/// are handled by the client's <see cref="RetryPolicy"/> (the stream's too); it gives up after
/// <see cref="TaskEventsClientOptions.MaxRequestAttempts"/> or when the server asks to wait longer than the longest delay.
/// </summary>
internal sealed partial class RetryingRequestSender(HttpClient http, TaskEventsClientOptions options, ILogger logger)
{
    /// <param name="createRequest">Builds the request anew for each attempt (a request cannot be sent twice).</param>
    /// <param name="acceptedFailure">A non-success status the caller handles itself instead of an exception.</param>
    public async Task<SentResponse> SendAsync(
        Func<HttpRequestMessage> createRequest, RequestTarget target, CancellationToken cancellationToken, HttpStatusCode? acceptedFailure = null)
    {
        var policy = new RetryPolicy(
            new FullJitterBackoff(options.RetryDelay, options.MaxRetryDelay, 2.0), options.AccessTokenProvider is not null, options.TimeProvider);
        var refreshToken = false;
        var refreshed = false;
        for (var attempt = 1; ; attempt++)
        {
            var (response, failure) = await TrySendAsync(createRequest, refreshToken, cancellationToken);
            refreshToken = false;
            TimeSpan? retryAfter = null;
            HttpStatusCode? failedStatus = null;
            if (response is not null)
            {
                if (response.IsSuccessStatusCode || response.StatusCode == acceptedFailure)
                {
                    return new SentResponse(response, attempt > 1);
                }

                using (response)
                {
                    var decision = policy.Decide(response, refreshed);
                    if (decision.Action == RetryAction.RefreshToken)
                    {
                        refreshed = refreshToken = true;
                        attempt--;
                        continue;
                    }

                    if (decision.Action == RetryAction.Fail)
                    {
                        throw await ErrorResponses.ToExceptionAsync(response, target, cancellationToken);
                    }

                    failedStatus = response.StatusCode;
                    retryAfter = decision.RetryAfter;
                    failure = $"{(int)response.StatusCode} {response.ReasonPhrase}";
                }
            }

            if (attempt >= options.MaxRequestAttempts || retryAfter > options.MaxRetryDelay)
            {
                throw new TaskEventsUnavailableException(
                    $"{target.Describe()} failed after {attempt} attempt(s): {failure}", failedStatus, retryAfter, null);
            }

            var delay = policy.NextDelay(retryAfter);
            LogRetrying(logger, target.Describe(), attempt, failure!, delay.TotalMilliseconds);
            await Task.Delay(delay, options.TimeProvider, cancellationToken);
        }
    }

    /// <summary>One attempt: the response, or why there was none.</summary>
    private async Task<(HttpResponseMessage? Response, string? Failure)> TrySendAsync(
        Func<HttpRequestMessage> createRequest, bool refreshToken, CancellationToken cancellationToken)
    {
        using var request = createRequest();
        await BearerTokens.ApplyAsync(request, options.AccessTokenProvider, refreshToken, cancellationToken);
        using var timeout = new CancellationTokenSource(options.RequestTimeout, options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return (await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token), null);
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"no answer within {options.RequestTimeout.TotalSeconds:0.###} s");
        }
    }

    [LoggerMessage(LogLevel.Warning, "{Request}: attempt {Attempt} failed ({Failure}); retrying in {DelayMs:0} ms")]
    private static partial void LogRetrying(ILogger logger, string request, int attempt, string failure, double delayMs);
}
