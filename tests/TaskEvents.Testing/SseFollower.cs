using System.Globalization;
using System.Net;

namespace TaskEvents.Testing;

/// <summary>
/// Follows a task's stream the way EventSource does: when the connection drops or the server asks it to
/// reconnect, it waits the server's <c>retry:</c> interval and connects again with <c>Last-Event-ID</c>, until
/// the <c>end</c> message. Records every event
/// and every connection attempt, so a test can check nothing was lost, repeated, or refused along the way.
/// </summary>
public sealed class SseFollower(HttpClient client, string path)
{
    private readonly List<long> _seqs = [];
    private readonly List<HttpStatusCode> _attempts = [];
    private readonly TaskCompletionSource _firstEvent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The seq of every event received, in order of arrival.</summary>
    public IReadOnlyList<long> Seqs
    {
        get
        {
            lock (_seqs)
            {
                return [.. _seqs];
            }
        }
    }

    /// <summary>The status of every connection attempt, in order.</summary>
    public IReadOnlyList<HttpStatusCode> Attempts
    {
        get
        {
            lock (_attempts)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>Completes when the first event has arrived: the stream is established and live.</summary>
    public Task FirstEvent => _firstEvent.Task;

    /// <summary>Follows until the stream ends with <c>end</c>; gives up after <paramref name="maxAttempts"/> connections.</summary>
    public async Task RunAsync(CancellationToken cancellationToken, int maxAttempts = 20)
    {
        string? lastEventId = null;
        var retry = TimeSpan.FromSeconds(1);
        for (var attempt = 0; attempt < maxAttempts; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(retry, cancellationToken);
            }

            try
            {
                using var reader = await SseWireReader.OpenAsync(client, path, lastEventId, cancellationToken);
                Record(_attempts, reader.Response.StatusCode);
                if (reader.Response.StatusCode != HttpStatusCode.OK)
                {
                    // EventSource would give up here; keep trying so the test can report what happened.
                    continue;
                }

                while (await reader.ReadFrameAsync(cancellationToken) is { } frame)
                {
                    if (frame.Retry is not null)
                    {
                        retry = TimeSpan.FromMilliseconds(long.Parse(frame.Retry, CultureInfo.InvariantCulture));
                    }
                    else if (frame.Id is not null)
                    {
                        lastEventId = frame.Id;
                        Record(_seqs, long.Parse(frame.Id, CultureInfo.InvariantCulture));
                        _firstEvent.TrySetResult();
                    }
                    else if (frame.IsEnd)
                    {
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // The connection broke mid-stream: reconnect from the last event, as EventSource does.
            }
        }

        throw new InvalidOperationException($"Gave up after {maxAttempts} connections; attempts: {string.Join(", ", Attempts)}.");
    }

    private static void Record<T>(List<T> list, T item)
    {
        lock (list)
        {
            list.Add(item);
        }
    }
}
