using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using TaskEvents.Client.Http;

namespace TaskEvents.Client.Streaming;

/// <summary>
/// Follows one task's stream and yields each event exactly once, in seq order: repeats are dropped, skipped seqs are
/// read over REST before anything later is yielded, dropped or silent connections are reopened after a full-jitter
/// backoff with Last-Event-ID, <c>reconnect</c> is followed at once (<c>token_expired</c> with a freshly refreshed token)
/// and <c>end</c> completes the enumeration. 401 (after one token refresh), 403 and 404 end it with a typed exception.
/// </summary>
internal sealed partial class EventSubscription(
    HttpClient http,
    TaskEventsClientOptions options,
    TaskEventsRoutes routes,
    Func<long, int, CancellationToken, Task<EventPage>> readPageAsync,
    ILogger logger,
    string taskId,
    long sinceSeq)
{
    public async IAsyncEnumerable<TaskEvent> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var progress = new SubscriptionProgress(sinceSeq);
        var retry = new RetryPolicy(
            new FullJitterBackoff(options.ReconnectDelay, options.MaxReconnectDelay, options.ReconnectBackoffFactor),
            options.AccessTokenProvider is not null,
            options.TimeProvider);
        var resuming = false;
        while (true)
        {
            var opened = await OpenAsync(progress.LastSeq, resuming, progress.RefreshToken, retry, cancellationToken);
            resuming = true;
            if (opened.Connection is null)
            {
                progress.Closed(opened.Failure!);
                await WaitBeforeReconnectAsync(retry, progress.LastSeq, opened.Failure!, opened.RetryAfter, cancellationToken);
                continue;
            }

            await using (var connection = opened.Connection)
            {
                await foreach (var received in FollowAsync(connection, progress, retry, cancellationToken))
                {
                    yield return received;
                }
            }

            if (progress.Ended)
            {
                yield break;
            }

            if (progress.ReconnectAtOnce)
            {
                LogReconnecting(logger, taskId, progress.LastSeq, progress.ClosedBecause!, 0);
            }
            else
            {
                await WaitBeforeReconnectAsync(retry, progress.LastSeq, progress.ClosedBecause!, null, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Yields one connection's events in seq order, each once, filling skipped seqs over REST first; stops when the
    /// connection closes (<see cref="SubscriptionProgress.ClosedBecause"/> says why) or the task ended.
    /// </summary>
    private async IAsyncEnumerable<TaskEvent> FollowAsync(
        SseConnection connection, SubscriptionProgress progress, RetryPolicy retry, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        progress.Opened();
        while (true)
        {
            var read = await connection.ReadAsync();
            if (read.Message is not { } message)
            {
                progress.Closed(read.ClosedBecause!);
                yield break;
            }

            if (message.Event is { } received)
            {
                if (received.Seq <= progress.LastSeq)
                {
                    continue;
                }

                if (received.Seq > progress.LastSeq + 1)
                {
                    await foreach (var missing in FillAsync(progress, received.Seq - 1, $"filling the gap before seq {received.Seq}", cancellationToken))
                    {
                        yield return missing;
                    }

                    if (progress.ClosedBecause is not null)
                    {
                        yield break;
                    }
                }

                progress.LastSeq = received.Seq;
                retry.Reset();
                yield return received;
                continue;
            }

            if (message.Control is { Type: ControlMessage.End } end)
            {
                await foreach (var missing in FillAsync(progress, end.LastSeq, "reading the events before the end", cancellationToken))
                {
                    yield return missing;
                }

                if (progress.ClosedBecause is null)
                {
                    LogEnded(logger, taskId, progress.LastSeq, end.Status);
                    progress.End();
                }

                yield break;
            }

            if (message.Control is { Type: ControlMessage.Reconnect } reconnect)
            {
                progress.Closed(
                    $"the server asked to reconnect ({reconnect.Reason})",
                    reconnectAtOnce: !reconnect.IsServerShutdown,
                    refreshToken: reconnect.IsTokenExpired);
                yield break;
            }
        }
    }

    /// <summary>
    /// Yields the events after the last one yielded up to <paramref name="upToSeq"/>, read over REST. When the server is
    /// unavailable the connection is given up (<paramref name="what"/> failed): the next one resumes from the last event yielded.
    /// </summary>
    private async IAsyncEnumerable<TaskEvent> FillAsync(
        SubscriptionProgress progress, long upToSeq, string what, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var gap = new GapFill(readPageAsync, options.GapFillPageSize, progress.LastSeq, upToSeq);
        await foreach (var missing in gap.ReadAsync(cancellationToken))
        {
            progress.LastSeq = missing.Seq;
            yield return missing;
        }

        if (gap.Failure is not null)
        {
            progress.Closed($"{what} failed: {gap.Failure}");
        }
    }

    /// <param name="refreshToken">
    /// Ask the provider for a fresh token before the first attempt (the last one expired). A 401 then is final: the
    /// provider's best was refused. The provider's own failure ends the subscription with its exception.
    /// </param>
    private async Task<OpenAttempt> OpenAsync(long lastSeq, bool resuming, bool refreshToken, RetryPolicy retry, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, routes.Stream(taskId, lastSeq, options.BatchSize, options.FlushInterval));
            request.Headers.Accept.ParseAdd("text/event-stream");
            if (resuming)
            {
                request.Headers.TryAddWithoutValidation("Last-Event-ID", lastSeq.ToString(CultureInfo.InvariantCulture));
            }

            await BearerTokens.ApplyAsync(request, options.AccessTokenProvider, refreshToken, cancellationToken);

            // The watchdog also bounds the wait for the response headers: a server that accepts and says nothing is as dead as a silent stream.
            var watchdog = new StreamWatchdog(options.SilenceTimeout, options.TimeProvider);
            HttpResponseMessage? response = null;
            try
            {
                using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, watchdog.Token);
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, sending.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var body = await response.Content.ReadAsStreamAsync(sending.Token);
                    return new OpenAttempt(new SseConnection(response, body, watchdog, cancellationToken), null, null);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or IOException or OperationCanceledException)
            {
                // Headers may have arrived before the body failed to open: release the connection now, not at GC.
                response?.Dispose();
                watchdog.Dispose();
                return OpenAttempt.Failed(watchdog.Expired ? $"no response within {options.SilenceTimeout.TotalSeconds:0.###} s" : ex.Message);
            }
            catch
            {
                response?.Dispose();
                watchdog.Dispose();
                throw;
            }

            watchdog.Dispose();
            using (response)
            {
                var decision = retry.Decide(response, refreshToken);
                if (decision.Action == RetryAction.RefreshToken)
                {
                    refreshToken = true;
                    continue;
                }

                if (decision.Action == RetryAction.RetryLater)
                {
                    return OpenAttempt.Failed($"{(int)response.StatusCode} {response.ReasonPhrase}", decision.RetryAfter);
                }

                throw await ErrorResponses.ToExceptionAsync(response, new RequestTarget(RequestKind.Subscribe, taskId), cancellationToken);
            }
        }
    }

    private async Task WaitBeforeReconnectAsync(RetryPolicy retry, long lastSeq, string reason, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var delay = retry.NextDelay(retryAfter);
        LogReconnecting(logger, taskId, lastSeq, reason, delay.TotalMilliseconds);
        await Task.Delay(delay, options.TimeProvider, cancellationToken);
    }

    [LoggerMessage(LogLevel.Information, "Stream of task {Task} closed ({Reason}); reconnecting in {DelayMs:0} ms (last seq {LastSeq})")]
    private static partial void LogReconnecting(ILogger logger, string task, long lastSeq, string reason, double delayMs);

    [LoggerMessage(LogLevel.Debug, "Stream of task {Task} ended at seq {LastSeq} ({Status})")]
    private static partial void LogEnded(ILogger logger, string task, long lastSeq, string? status);
}
