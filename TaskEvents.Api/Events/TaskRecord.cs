namespace TaskEvents.Api.Events;

/// <summary>A task's row: its status, highest seq and producer metadata (JSON text, or null).</summary>
public sealed record TaskRecord(string TaskId, string Status, long LastSeq, DateTime CreatedAt, string? MetadataJson)
{
    public bool IsTerminal => Status != TaskLifecycle.Running;
}
