using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using TaskEvents.Api.Events;
using TaskEvents.Contracts;

namespace TaskEvents.Api.Streaming;

/// <summary>
/// Formats SSE frames into the response pipe. Nothing reaches the client until <see cref="FlushAsync"/>,
/// which is what lets several events share one write.
/// </summary>
public sealed class SseFrameWriter(PipeWriter output)
{
    private static readonly byte[] Keepalive = ": keepalive\n\n"u8.ToArray();

    public void WriteRetry(TimeSpan interval) =>
        output.Write(Encoding.ASCII.GetBytes($"retry: {(long)interval.TotalMilliseconds}\n\n"));

    public void WriteEvent(StoredEvent storedEvent) => output.Write(storedEvent.SseFrame.Span);

    public void WriteKeepalive() => output.Write(Keepalive);

    /// <summary>A control message (<see cref="ControlMessageFrame"/>).</summary>
    public void WriteControl(string type, long lastSeq, string key, string value) => ControlMessageFrame.Write(output, type, lastSeq, key, value);

    public async Task FlushAsync(CancellationToken cancellationToken) => await output.FlushAsync(cancellationToken);
}
