using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TaskEvents.Api.Events;

namespace TaskEvents.Api.Wire;

/// <summary>
/// Writes an event's public JSON shape (the same for REST reads and SSE) inside its SSE frame,
/// <c>id: &lt;seq&gt;\ndata: &lt;json&gt;\n\n</c>, in one buffer.
/// </summary>
public static class StoredEventSerializer
{
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static StoredEvent Serialize(
        long seq, string eventId, string taskId, string eventType, string? phase, string? actor,
        string? spanId, string? parentSpanId, string payloadJson, DateTime createdAt, ActivityContext appendContext = default)
    {
        var buffer = new ArrayBufferWriter<byte>(280 + payloadJson.Length);
        buffer.Write(Encoding.ASCII.GetBytes($"id: {seq.ToString(CultureInfo.InvariantCulture)}\ndata: "));
        var jsonStart = buffer.WrittenCount;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("seq", seq);
            writer.WriteString("event_id", eventId);
            writer.WriteString("task_id", taskId);
            writer.WriteString("event_type", eventType);
            writer.WriteString("phase", phase);
            writer.WriteString("actor", actor);
            writer.WriteString("span_id", spanId);
            writer.WriteString("parent_span_id", parentSpanId);
            writer.WritePropertyName("payload");
            // jsonb text output is valid JSON without raw newlines, so it is safe inside one SSE data line.
            writer.WriteRawValue(payloadJson, skipInputValidation: true);
            writer.WriteString("created_at", FormatTimestamp(createdAt));
            writer.WriteEndObject();
        }

        var jsonLength = buffer.WrittenCount - jsonStart;
        buffer.Write("\n\n"u8);
        var frame = buffer.WrittenMemory.ToArray();
        return new StoredEvent(seq, eventType, createdAt, frame, frame.AsMemory(jsonStart, jsonLength), appendContext);
    }

    public static string FormatTimestamp(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString(TimestampFormat, CultureInfo.InvariantCulture);
}
