using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using TaskEvents.Api.Events;

namespace TaskEvents.Api.Streaming;

/// <summary>
/// Formats SSE frames into the response pipe. Nothing reaches the client until <see cref="FlushAsync"/>,
/// which is what lets several events share one write.
/// </summary>
public sealed class SseFrameWriter(PipeWriter output)
{
    private static readonly byte[] DataField = "data: "u8.ToArray();
    private static readonly byte[] Keepalive = ": keepalive\n\n"u8.ToArray();

    public void WriteRetry(TimeSpan interval) =>
        output.Write(Encoding.ASCII.GetBytes($"retry: {(long)interval.TotalMilliseconds}\n\n"));

    public void WriteEvent(StoredEvent storedEvent) => output.Write(storedEvent.SseFrame.Span);

    public void WriteKeepalive() => output.Write(Keepalive);

    /// <summary>A control message: plain <c>data:</c> JSON with a <c>type</c> key and no id, as the seed sent them.</summary>
    public void WriteControl(string type, long lastSeq, string key, string value)
    {
        output.Write(DataField);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteNumber("last_seq", lastSeq);
            json.WriteString(key, value);
            json.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }

    public async Task FlushAsync(CancellationToken cancellationToken) => await output.FlushAsync(cancellationToken);
}
