namespace TaskEvents.Api.Events;

/// <summary>Identifies a task: task ids are unique within a tenant.</summary>
public readonly record struct TaskKey(string TenantId, string TaskId)
{
    public override string ToString() => $"{TenantId}/{TaskId}";
}
