using System.Text.Json;
using TaskEvents.Api.Events;
using TaskEvents.Api.Wire;

namespace TaskEvents.Api.Apis;

/// <summary>A task as the REST API shows it.</summary>
internal sealed record TaskResponse(string TaskId, string Status, long LastSeq, string CreatedAt, JsonElement? Metadata)
{
    public static TaskResponse From(TaskRecord task) => new(
        task.TaskId,
        task.Status,
        task.LastSeq,
        StoredEventSerializer.FormatTimestamp(task.CreatedAt),
        task.MetadataJson is null ? null : JsonElement.Parse(task.MetadataJson));
}
