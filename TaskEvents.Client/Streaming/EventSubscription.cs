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
        var lastSeq = sinceSeq;
        var backoff = new FullJitterBackoff(options.ReconnectDelay, options.MaxReconnectDelay, options.ReconnectBackoffFactor);
        var resuming = false;
        var refreshToken = false;
        while (true)
        {
            var opened = await OpenAsync(lastSeq, resuming, refreshToken, cancellationToken);
            resuming = true;
            refreshToken = false;
            if (opened.Connection is null)
            {
                await WaitBeforeReconnectAsync(backoff, lastSeq, opened.Failure!, opened.RetryAfter, cancellationToken);
                continue;
            }

            string closedBecause;
            var reconnectAtOnce = false;
            await using (var connection = opened.Connection)
            {
                while (true)
                {
                    var read = await connection.ReadAsync();
                    if (read.Message is not { } message)
                    {
                        closedBecause = read.ClosedBecause!;
                        break;
                    }

                    if (message.Event is { } received)
                    {
                        if (received.Seq <= lastSeq)
                        {
                            continue;
                        }

                        if (received.Seq > lastSeq + 1)
                        {
                            var gap = new GapFill(readPageAsync, options.GapFillPageSize, lastSeq, received.Seq - 1);
                            await foreach (var missing in gap.ReadAsync(cancellationToken))
                            {
                                lastSeq = missing.Seq;
                                yield return missing;
                            }

                            if (gap.Failure is not null)
                            {
                                closedBecause = $"filling the gap before seq {received.Seq} failed: {gap.Failure}";
                                break;
                            }
                        }

                        lastSeq = received.Seq;
                        backoff.Reset();
                        yield return received;
                        continue;
                    }

                    if (message.Control is { Type: ControlMessage.End } end)
                    {
                        var rest = new GapFill(readPageAsync, options.GapFillPageSize, lastSeq, end.LastSeq);
                        await foreach (var missing in rest.ReadAsync(cancellationToken))
                        {
                            lastSeq = missing.Seq;
                            yield return missing;
                        }

                        if (rest.Failure is not null)
                        {
                            closedBecause = $"reading the events before the end failed: {rest.Failure}";
                            break;
                        }

                        LogEnded(logger, taskId, lastSeq, end.Status);
                        yield break;
                    }

                    if (message.Control is { Type: ControlMessage.Reconnect } reconnect)
                    {
                        closedBecause = $"the server asked to reconnect ({reconnect.Reason})";
                        reconnectAtOnce = !reconnect.IsServerShutdown;
                        refreshToken = reconnect.IsTokenExpired;
                        break;
                    }
                }
            }

            if (reconnectAtOnce)
            {
                LogReconnecting(logger, taskId, lastSeq, closedBecause, 0);
            }
            else
            {
                await WaitBeforeReconnectAsync(backoff, lastSeq, closedBecause, null, cancellationToken);
            }
        }
    }

    /// <param name="refreshToken">
    /// Ask the provider for a fresh token before the first attempt (the last one expired). A 401 then is final: the
    /// provider's best was refused. The provider's own failure ends the subscription with its exception.
    /// </param>
    private async Task<OpenAttempt> OpenAsync(long lastSeq, bool resuming, bool refreshToken, CancellationToken cancellationToken)
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
                if (response.StatusCode == HttpStatusCode.Unauthorized && options.AccessTokenProvider is not null && !refreshToken)
                {
                    refreshToken = true;
                    continue;
                }

                if (TransientFailures.IsTransient(response.StatusCode))
                {
                    return OpenAttempt.Failed($"{(int)response.StatusCode} {response.ReasonPhrase}", TransientFailures.RetryAfter(response.Headers, options.TimeProvider));
                }

                throw await ErrorResponses.ToExceptionAsync(response, new RequestTarget(RequestKind.Subscribe, taskId), cancellationToken);
            }
        }
    }

    private async Task WaitBeforeReconnectAsync(FullJitterBackoff backoff, long lastSeq, string reason, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var delay = backoff.NextDelay();
        if (retryAfter > delay)
        {
            delay = retryAfter.Value;
        }

        LogReconnecting(logger, taskId, lastSeq, reason, delay.TotalMilliseconds);
        await Task.Delay(delay, options.TimeProvider, cancellationToken);
    }

    [LoggerMessage(LogLevel.Information, "Stream of task {Task} closed ({Reason}); reconnecting in {DelayMs:0} ms (last seq {LastSeq})")]
    private static partial void LogReconnecting(ILogger logger, string task, long lastSeq, string reason, double delayMs);

    [LoggerMessage(LogLevel.Debug, "Stream of task {Task} ended at seq {LastSeq} ({Status})")]
    private static partial void LogEnded(ILogger logger, string task, long lastSeq, string? status);
}
