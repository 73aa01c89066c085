using System.Text.Json;
using TaskEvents.Contracts;

namespace TaskEvents.LoadTests.Channels;

/// <summary>
/// Reads an SSE message's data without a DOM: the top-level <c>seq</c>; the publisher timestamp <c>sent</c>, at the top
/// level (Nchan's messages, as the harness publishes them) or inside <c>payload</c> (a TaskEvents event); and a control
/// message's <c>type</c> (a TaskEvents message without a seq).
/// </summary>
internal static class WireMessageParser
{
    public static WireMessage Parse(string eventType, ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return default;
        }

        long seq = 0, sent = 0;
        var control = WireControl.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = Property(ref reader);
            reader.Read();
            switch (property)
            {
                case "seq":
                    seq = reader.GetInt64();
                    break;
                case "sent":
                    sent = reader.GetInt64();
                    break;
                case "payload" when reader.TokenType == JsonTokenType.StartObject:
                    sent = SentInside(ref reader);
                    break;
                case "type":
                    control = reader.ValueTextEquals(ControlMessageTypes.End) ? WireControl.End
                        : reader.ValueTextEquals(ControlMessageTypes.Reconnect) ? WireControl.Reconnect
                        : WireControl.None;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new WireMessage(seq, sent, seq > 0 ? WireControl.None : control);
    }

    private static string? Property(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("seq"u8) ? "seq"
        : reader.ValueTextEquals("sent"u8) ? "sent"
        : reader.ValueTextEquals("payload"u8) ? "payload"
        : reader.ValueTextEquals("type"u8) ? "type"
        : null;

    private static long SentInside(ref Utf8JsonReader reader)
    {
        long sent = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isSent = reader.ValueTextEquals("sent"u8);
            reader.Read();
            if (isSent)
            {
                sent = reader.GetInt64();
            }
            else
            {
                reader.Skip();
            }
        }

        return sent;
    }
}
