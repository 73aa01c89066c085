using System.Text;
using System.Text.Json;

namespace TaskEvents.Testing;

/// <summary>
/// Reads an SSE response frame by frame exactly as sent, comments and retry fields included,
/// so the tests can check the wire format (the client library hides those details on purpose).
/// </summary>
public sealed class SseWireReader(HttpResponseMessage response) : IDisposable
{
    private StreamReader? _reader;

    public HttpResponseMessage Response => response;

    public static async Task<SseWireReader> OpenAsync(HttpClient client, string path, string? lastEventId = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return new SseWireReader(response);
    }

    /// <summary>The next frame, or null when the server closed the stream.</summary>
    public async Task<SseFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        _reader ??= new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
        string? id = null, retry = null, comment = null;
        StringBuilder? data = null;
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (id is null && data is null && retry is null && comment is null)
                {
                    continue;
                }

                return new SseFrame(id, data?.ToString(), comment, retry);
            }

            if (line.StartsWith(':'))
            {
                comment = line[1..].Trim();
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id": id = value; break;
                case "retry": retry = value; break;
                case "data": (data ??= new StringBuilder()).Append(data.Length > 0 ? "\n" : "").Append(value); break;
            }
        }
    }

    /// <summary>Reads frames until <paramref name="count"/> events (frames with an id) arrived; skips comments.</summary>
    public async Task<List<JsonElement>> ReadEventsAsync(int count, CancellationToken cancellationToken)
    {
        var events = new List<JsonElement>();
        while (events.Count < count)
        {
            var frame = await ReadFrameAsync(cancellationToken) ?? throw new InvalidOperationException($"Stream ended after {events.Count} of {count} events.");
            if (frame.Id is not null)
            {
                events.Add(JsonElement.Parse(frame.Data!));
            }
        }

        return events;
    }

    /// <summary>The next frame that is neither a comment nor the retry hint.</summary>
    public async Task<SseFrame?> ReadDataFrameAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await ReadFrameAsync(cancellationToken);
            if (frame is null || frame.Data is not null)
            {
                return frame;
            }
        }
    }

    public void Dispose()
    {
        _reader?.Dispose();
        response.Dispose();
    }
}
