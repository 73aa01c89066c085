using System.Text.Json;
using TaskEvents.Client.Serialization;

namespace TaskEvents.Client.Streaming;

/// <summary>
/// Reads an SSE message's data: an object with <c>seq</c> is an event; one with a <c>type</c> and no <c>seq</c> is a
/// control message (the server sends those without an id, as the seed did).
/// </summary>
internal static class StreamMessageParser
{
    public static StreamMessage Parse(string eventType, ReadOnlySpan<byte> data)
    {
        try
        {
            if (IsControlMessage(data))
            {
                return JsonSerializer.Deserialize(data, TaskEventsJsonContext.Default.ControlMessage) is { Type: not null } control
                    ? new StreamMessage(null, control)
                    : StreamMessage.Unreadable;
            }

            return JsonSerializer.Deserialize(data, TaskEventsJsonContext.Default.TaskEvent) is { Seq: > 0, EventType: not null } taskEvent
                ? new StreamMessage(taskEvent, null)
                : StreamMessage.Unreadable;
        }
        catch (JsonException)
        {
            return StreamMessage.Unreadable;
        }
    }

    private static bool IsControlMessage(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var hasType = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("seq"u8))
            {
                return false;
            }

            hasType |= reader.ValueTextEquals("type"u8);
            reader.Read();
            reader.Skip();
        }

        return hasType;
    }
}
