using System.Globalization;
using System.Net;
using System.Text.Json;

namespace TaskEvents.ReliabilityTests.Load;

/// <summary>
/// Follows one task the way a browser's EventSource does, reading the raw SSE wire: the token in the URL, the server's
/// <c>retry:</c> interval between connections, <c>Last-Event-ID</c> on every reconnect, and nothing else — no repeat
/// dropped, no gap filled, so what it records is exactly what the server sent. Like the browser client, it also
/// reconnects after a silence of three keepalive intervals (EventSource alone would wait on a frozen server forever)
/// and after a 429 or 5xx answer (EventSource would give up).
/// </summary>
internal sealed class WireSubscriber : Subscriber
{
    private readonly HttpClient _http;
    private readonly string _url;
    private readonly TimeSpan _silenceLimit;
    private int _connections;

    private WireSubscriber(HttpClient http, Uri gateway, string taskId, string token, int? batchSize, TimeSpan keepalive)
        : base(taskId)
    {
        _http = http;
        _url = new Uri(gateway, $"/sse/tasks/{taskId}/events?since_seq=0&access_token={Uri.EscapeDataString(token)}" +
            (batchSize is { } size ? $"&batch_size={size.ToString(CultureInfo.InvariantCulture)}" : "")).ToString();
        _silenceLimit = keepalive * 3;
    }

    public override string Kind => "wire";

    /// <summary>Connections that got a 200.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public static WireSubscriber Start(
        HttpClient http, Uri gateway, string taskId, string token, int? batchSize, TimeSpan keepalive, CancellationToken cancellationToken)
    {
        var subscriber = new WireSubscriber(http, gateway, taskId, token, batchSize, keepalive);
        subscriber.Completion = Task.Run(() => subscriber.FollowAsync(cancellationToken), CancellationToken.None);
        return subscriber;
    }

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        string? lastEventId = null;
        var retry = TimeSpan.FromSeconds(1);
        while (true)
        {
            var wait = retry;
            using (var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                silence.CancelAfter(_silenceLimit);
                try
                {
                    using var reader = await SseWireReader.OpenAsync(_http, _url, lastEventId, silence.Token);
                    var status = reader.Response.StatusCode;
                    if (status != HttpStatusCode.OK)
                    {
                        if (status != HttpStatusCode.TooManyRequests && (int)status < 500)
                        {
                            throw new InvalidOperationException($"The stream of {TaskId} was refused with {(int)status}: {await reader.Response.Content.ReadAsStringAsync(cancellationToken)}");
                        }

                        wait = reader.Response.Headers.RetryAfter?.Delta ?? retry;
                    }
                    else
                    {
                        Interlocked.Increment(ref _connections);
                        while (await reader.ReadFrameAsync(silence.Token) is { } frame)
                        {
                            silence.CancelAfter(_silenceLimit);
                            if (frame.Retry is { } interval)
                            {
                                wait = retry = TimeSpan.FromMilliseconds(long.Parse(interval, CultureInfo.InvariantCulture));
                            }
                            else if (frame.Id is { } id)
                            {
                                lastEventId = id;
                                RecordEvent(frame.Data!);
                            }
                            else if (frame.IsEnd)
                            {
                                return;
                            }
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException
                    || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    // The connection broke, never answered, or fell silent: reconnect from the last event.
                }
            }

            await Task.Delay(wait, cancellationToken);
        }
    }

    private void RecordEvent(string data)
    {
        var json = JsonElement.Parse(data);
        Record(json.GetProperty("seq").GetInt64(), json.GetProperty("event_id").GetString()!,
            DateTimeOffset.Parse(json.GetProperty("created_at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
    }
}
