using System.Text;
using System.Text.Json;
using TaskEvents.Api.Events;
using TaskEvents.Api.Observability;

namespace TaskEvents.Api.Storage;

/// <summary>
/// The NOTIFY payload an append sends in its transaction (built in SQL by <c>task_change_payloads</c>, latest in
/// Storage/Migrations/0003_trace_context.sql): which task now ends at which seq, and, when they fit, the events it stored
/// up to that seq, as <c>{"tenant", "task", "seq", "events"?: [[seq, event_id, event_type, phase, actor, span_id,
/// parent_span_id, payload text, created_at µs since 1970], ...], "trace_parents"?: [traceparent or null, ...]}</c>
/// (trace_parents: each event's <see cref="AppendTraceContext"/>, in the order of events). One commit may send several
/// for one task, in seq order, each under <see cref="MaxPayloadBytes"/>.
/// </summary>
public sealed record TaskChangeNotification(TaskKey Key, long LastSeq, IReadOnlyList<StoredEvent>? Events)
{
    public const string Channel = "task_events";

    /// <summary>Longest payload that carries events; PostgreSQL refuses payloads of 8000 bytes or more.</summary>
    public const int MaxPayloadBytes = 7900;

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
        var events = new List<(long Seq, string EventId, string EventType, string? Phase, string? Actor, string? SpanId, string? ParentSpanId, string Payload, long CreatedAtMicroseconds)>();
        var hasEvents = false;
        var traceParents = new List<string?>();
        Expect(ref reader, JsonTokenType.StartObject);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            Next(ref reader);
            switch (name)
            {
                case "tenant":
                    tenant = reader.GetString();
                    break;
                case "task":
                    task = reader.GetString();
                    break;
                case "seq":
                    lastSeq = reader.GetInt64();
                    break;
                case "events" when reader.TokenType == JsonTokenType.StartArray:
                    hasEvents = true;
                    while (Next(ref reader) == JsonTokenType.StartArray)
                    {
                        events.Add((
                            Int64(ref reader), String(ref reader)!, String(ref reader)!, String(ref reader), String(ref reader),
                            String(ref reader), String(ref reader), String(ref reader)!, Int64(ref reader)));
                        Expect(ref reader, JsonTokenType.EndArray);
                    }

                    break;
                case "trace_parents" when reader.TokenType == JsonTokenType.StartArray:
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

        var stored = hasEvents
            ? events.Select((e, i) => StoredEventSerializer.Serialize(
                e.Seq, e.EventId, task, e.EventType, e.Phase, e.Actor, e.SpanId, e.ParentSpanId, e.Payload,
                DateTime.UnixEpoch.AddTicks(e.CreatedAtMicroseconds * TimeSpan.TicksPerMicrosecond),
                AppendTraceContext.Parse(i < traceParents.Count ? traceParents[i] : null))).ToList()
            : null;
        return new TaskChangeNotification(new TaskKey(tenant, task), lastSeq.Value, stored);
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

    private static long Int64(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.GetInt64();
    }

    private static string? String(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
    }
}
