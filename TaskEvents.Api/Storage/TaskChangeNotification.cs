using System.Text.Json;
using System.Text.Json.Serialization;
using TaskEvents.Api.Events;

namespace TaskEvents.Api.Storage;

/// <summary>The NOTIFY payload an append sends in its transaction: which task now ends at which seq.</summary>
public sealed record TaskChangeNotification(
    [property: JsonPropertyName("tenant")] string TenantId,
    [property: JsonPropertyName("task")] string TaskId,
    [property: JsonPropertyName("seq")] long LastSeq)
{
    public const string Channel = "task_events";

    public TaskKey Key => new(TenantId, TaskId);

    public string ToPayload() => JsonSerializer.Serialize(this);

    public static TaskChangeNotification? TryParse(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<TaskChangeNotification>(payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
