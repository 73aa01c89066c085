using System.Text.Json;
using System.Text.Json.Serialization;

namespace TaskEvents.Client;

/// <summary>A task: its status (running, completed, failed, cancelled), last seq and producer metadata.</summary>
public sealed record TaskInfo(string TaskId, string Status, long LastSeq, DateTimeOffset CreatedAt, JsonElement? Metadata)
{
    [JsonIgnore]
    public bool IsRunning => Status == "running";
}
