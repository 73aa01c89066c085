using System.Net.ServerSentEvents;
using TaskEvents.LoadTests.Measurement;

namespace TaskEvents.LoadTests.Channels;

/// <summary>
/// Follows one SSE stream at the wire — <see cref="SseParser"/> and a span parser, no client library — so every loss,
/// repeat or reordering the server sends reaches the probe as sent (a client that drops repeats and fills gaps over
/// REST would hide it). After a break it resumes with the last <c>id:</c> as Last-Event-ID: at once when the server
/// asked to reconnect, after up to 1 s of full jitter when the stream failed (so thousands of subscribers do not
/// return in one instant). Both systems under test are read by this one loop, at the same cost per event.
/// </summary>
internal static class WireStream
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

    /// <param name="newRequest">The stream request for the given Last-Event-ID (null on the first open).</param>
    /// <param name="parse">Reads one message's data.</param>
    public static async Task FollowAsync(
        HttpClient http,
        HttpCounters counters,
        Func<string?, HttpRequestMessage> newRequest,
        SseItemParser<WireMessage> parse,
        SubscriberProbe probe,
        CancellationToken cancellationToken)
    {
        string? lastEventId = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var outcome = WireControl.None;
            try
            {
                using var request = newRequest(lastEventId);
                request.Headers.Accept.ParseAdd("text/event-stream");
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                    await foreach (var item in SseParser.Create(body, parse).EnumerateAsync(cancellationToken))
                    {
                        lastEventId = item.EventId ?? lastEventId;
                        if (item.Data.Control != WireControl.None)
                        {
                            outcome = item.Data.Control;
                            break;
                        }

                        if (item.Data.Seq > 0)
                        {
                            probe.OnEvent(item.Data.Seq, item.Data.Sent);
                        }
                    }
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or IOException)
            {
                counters.CountError();
            }

            if (outcome == WireControl.End)
            {
                return;
            }

            if (outcome != WireControl.Reconnect)
            {
                await Task.Delay(MaxRetryDelay * Random.Shared.NextDouble(), cancellationToken);
            }
        }
    }
}
