using System.Text.Json;
using System.Text.Json.Serialization;

namespace TaskEvents.Client;

/// <summary>One stored event of a task, as the REST API and the stream deliver it.</summary>
public sealed record TaskEvent(
    long Seq,
    string EventId,
    string TaskId,
    string EventType,
    string? Phase,
    string? Actor,
    string? SpanId,
    string? ParentSpanId,
    JsonElement Payload,
    DateTimeOffset CreatedAt)
{
    /// <summary>True for task_completed, task_failed and task_cancelled: nothing follows such an event.</summary>
    [JsonIgnore]
    public bool IsTerminal => TerminalEventTypes.Contains(EventType);
}
