using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using TaskEvents.Contracts;

namespace TaskEvents.Gateway.FanOut;

/// <summary>
/// Cuts an upstream stream's bytes into frames at their blank lines and says what each is. The Api writes every field
/// on one line and ends every frame with <c>\n\n</c> (events, keepalives, <c>retry:</c>, control messages), so the
/// blank line is the only boundary there is.
/// </summary>
internal static class SseFrameParser
{
    private static ReadOnlySpan<byte> FrameEnd => "\n\n"u8;

    /// <summary>Takes the next whole frame off the front of <paramref name="buffer"/>; false when none is complete yet.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out SseFrame frame)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> _, FrameEnd, advancePastDelimiter: true))
        {
            frame = default;
            return false;
        }

        var bytes = buffer.Slice(0, reader.Position).ToArray();
        buffer = buffer.Slice(reader.Position);
        frame = Classify(bytes);
        return true;
    }

    /// <summary>What a whole frame (its blank line included) is.</summary>
    public static SseFrame Classify(byte[] bytes)
    {
        var span = bytes.AsSpan();
        if (span.StartsWith("id: "u8))
        {
            return Utf8Parser.TryParse(span["id: ".Length..], out long seq, out _)
                ? new SseFrame(SseFrameKind.Event, seq, bytes)
                : new SseFrame(SseFrameKind.Other, 0, bytes);
        }

        if (span.StartsWith(":"u8))
        {
            return new SseFrame(SseFrameKind.Keepalive, 0, bytes);
        }

        if (span.StartsWith("retry:"u8))
        {
            return new SseFrame(SseFrameKind.Retry, 0, bytes);
        }

        if (span.StartsWith("data: "u8))
        {
            return ClassifyControl(bytes);
        }

        return new SseFrame(SseFrameKind.Other, 0, bytes);
    }

    private static SseFrame ClassifyControl(byte[] bytes)
    {
        try
        {
            using var json = JsonDocument.Parse(bytes.AsMemory("data: ".Length, bytes.Length - "data: ".Length - FrameEnd.Length));
            var root = json.RootElement;
            var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
            return type switch
            {
                ControlMessageTypes.End => new SseFrame(SseFrameKind.End, 0, bytes),
                ControlMessageTypes.Reconnect => new SseFrame(SseFrameKind.Reconnect, 0, bytes,
                    root.TryGetProperty("reason", out var reason) ? reason.GetString() : null),
                _ => new SseFrame(SseFrameKind.Other, 0, bytes),
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return new SseFrame(SseFrameKind.Other, 0, bytes);
        }
    }
}
