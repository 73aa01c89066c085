using System.Text.Json;

namespace TaskEvents.Client;

/// <summary>
/// An event to append. Leave <see cref="EventId"/> null to have the client assign one before the first attempt,
/// which is what makes a retried append store the event once.
/// </summary>
public sealed record NewTaskEvent(string EventType)
{
    public string? EventId { get; init; }

    public string? Phase { get; init; }

    public string? Actor { get; init; }

    public string? SpanId { get; init; }

    public string? ParentSpanId { get; init; }

    /// <summary>A JSON object; null stores <c>{}</c>.</summary>
    public JsonElement? Payload { get; init; }
}
