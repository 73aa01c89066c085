namespace TaskEvents.Api.ChangeFeed;

/// <summary>
/// The order of a stored event's fields where they travel by position rather than by name: an item of a change
/// notification's <c>events</c> and a row of the store's event reads (<see cref="Columns"/>). The SQL that builds the
/// items, <c>json_build_array(e.seq, e.event_id, e.event_type, e.phase, e.actor, e.span_id, e.parent_span_id,
/// e.payload::text, created_at in µs)</c> in <c>append_events</c> (latest in Storage/Migrations/0004_key_lookups.sql;
/// before it, <c>task_change_payloads</c> in 0002 and 0003), lists them in this order; ChangeNotificationTests fails when
/// the two disagree.
/// </summary>
public static class EventFieldOrder
{
    public const int Seq = 0;
    public const int EventId = 1;
    public const int EventType = 2;
    public const int Phase = 3;
    public const int Actor = 4;
    public const int SpanId = 5;
    public const int ParentSpanId = 6;

    /// <summary>The payload object as JSON text.</summary>
    public const int Payload = 7;

    /// <summary>In a notification, microseconds since 1970-01-01 UTC (a number); in a read, the timestamp.</summary>
    public const int CreatedAt = 8;

    /// <summary>How many fields an item has.</summary>
    public const int Count = 9;

    /// <summary>The same fields as the store's columns, in the same order.</summary>
    public const string Columns = "seq, event_id, event_type, phase, actor, span_id, parent_span_id, payload::text, created_at";
}
