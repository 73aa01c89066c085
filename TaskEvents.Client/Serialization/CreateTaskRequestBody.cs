using System.Text.Json;

namespace TaskEvents.Client.Serialization;

/// <summary>The create-task body, <c>{"task_id", "metadata"?}</c>.</summary>
internal sealed record CreateTaskRequestBody(string TaskId, JsonElement? Metadata);
