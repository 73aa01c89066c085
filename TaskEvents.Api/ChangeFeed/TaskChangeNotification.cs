using System.Text;
using System.Text.Json;
using TaskEvents.Api.Events;
using TaskEvents.Api.Observability;
using TaskEvents.Api.Wire;

namespace TaskEvents.Api.ChangeFeed;

/// <summary>
/// The NOTIFY payload an append sends in its transaction (built in SQL by <c>append_events</c>, latest in
/// Storage/Migrations/0004_key_lookups.sql): which task now ends at which seq, and, when they fit, the events it stored
/// up to that seq, as <c>{"tenant", "task", "seq", "events"?: [item, ...], "trace_parents"?: [traceparent or null, ...]}</c>,
/// each item an array of the event's fields in <see cref="EventFieldOrder"/> (trace_parents: each event's
/// <see cref="AppendTraceContext"/>, in the order of events). One commit may send several for one task, in seq order,
/// each under <see cref="MaxPayloadBytes"/>.
/// </summary>
public sealed record TaskChangeNotification(TaskKey Key, long LastSeq, IReadOnlyList<StoredEvent>? Events)
{
    public const string Channel = "task_events";

    /// <summary>Longest payload that carries events; PostgreSQL refuses payloads of 8000 bytes or more.</summary>
    public const int MaxPayloadBytes = 7900;

    public const string TenantProperty = "tenant";
    public const string TaskProperty = "task";
    public const string LastSeqProperty = "seq";
    public const string EventsProperty = "events";
    public const string TraceParentsProperty = "trace_parents";

    /// <summary>The notification, or null when the payload is not one (nothing else should be on the channel).</summary>
    public static TaskChangeNotification? TryParse(string payload)
    {
        try
        {
            return Parse(Encoding.UTF8.GetBytes(payload));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static TaskChangeNotification? Parse(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        string? tenant = null, task = null;
        long? lastSeq = null;
        List<NotifiedEvent>? events = null;
        List<string?>? traceParents = null;
        Expect(ref reader, JsonTokenType.StartObject);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            Next(ref reader);
            switch (name)
            {
                case TenantProperty:
                    tenant = reader.GetString();
                    break;
                case TaskProperty:
                    task = reader.GetString();
                    break;
                case LastSeqProperty:
                    lastSeq = reader.GetInt64();
                    break;
                case EventsProperty when reader.TokenType == JsonTokenType.StartArray:
                    events = [];
                    while (Next(ref reader) == JsonTokenType.StartArray)
                    {
                        events.Add(ReadItem(ref reader));
                    }

                    break;
                case TraceParentsProperty when reader.TokenType == JsonTokenType.StartArray:
                    traceParents = [];
                    while (Next(ref reader) != JsonTokenType.EndArray)
                    {
                        traceParents.Add(reader.TokenType == JsonTokenType.Null ? null : reader.GetString());
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (tenant is null || task is null || lastSeq is null)
        {
            return null;
        }

        var stored = events?.Select((e, i) => StoredEventSerializer.Serialize(
                e.Seq, e.EventId!, task, e.EventType!, e.Phase, e.Actor, e.SpanId, e.ParentSpanId, e.Payload!,
                DateTime.UnixEpoch.AddTicks(e.CreatedAtMicroseconds * TimeSpan.TicksPerMicrosecond),
                AppendTraceContext.Parse(i < traceParents?.Count ? traceParents[i] : null))).ToList();
        return new TaskChangeNotification(new TaskKey(tenant, task), lastSeq.Value, stored);
    }

    /// <summary>One item of <c>events</c>, the reader on its opening bracket; it must hold exactly <see cref="EventFieldOrder.Count"/> fields.</summary>
    private static NotifiedEvent ReadItem(ref Utf8JsonReader reader)
    {
        var item = default(NotifiedEvent);
        var position = 0;
        for (; Next(ref reader) != JsonTokenType.EndArray; position++)
        {
            switch (position)
            {
                case EventFieldOrder.Seq: item.Seq = reader.GetInt64(); break;
                case EventFieldOrder.EventId: item.EventId = String(ref reader); break;
                case EventFieldOrder.EventType: item.EventType = String(ref reader); break;
                case EventFieldOrder.Phase: item.Phase = String(ref reader); break;
                case EventFieldOrder.Actor: item.Actor = String(ref reader); break;
                case EventFieldOrder.SpanId: item.SpanId = String(ref reader); break;
                case EventFieldOrder.ParentSpanId: item.ParentSpanId = String(ref reader); break;
                case EventFieldOrder.Payload: item.Payload = String(ref reader); break;
                case EventFieldOrder.CreatedAt: item.CreatedAtMicroseconds = reader.GetInt64(); break;
                default: throw new JsonException($"An event item has more than {EventFieldOrder.Count} fields.");
            }
        }

        return position == EventFieldOrder.Count
            ? item
            : throw new JsonException($"An event item has {position} fields, not {EventFieldOrder.Count}.");
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("The notification ended early.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Next(ref reader) != type)
        {
            throw new JsonException($"Expected {type}, found {reader.TokenType}.");
        }
    }

    /// <summary>The current token as a string; null for a JSON null.</summary>
    private static string? String(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : reader.GetString();

    private struct NotifiedEvent
    {
        public long Seq;
        public string? EventId, EventType, Phase, Actor, SpanId, ParentSpanId, Payload;
        public long CreatedAtMicroseconds;
    }
}
