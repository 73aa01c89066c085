namespace TaskEvents.Api.Events;

/// <summary>A validated event to append; <see cref="PayloadJson"/> is a JSON object's text.</summary>
public sealed record NewEvent(
    string EventId,
    string EventType,
    string? Phase,
    string? Actor,
    string? SpanId,
    string? ParentSpanId,
    string PayloadJson);
