namespace TaskEvents.Client;

/// <summary>What an append stored: the task's last seq and, per event in request order, its seq.</summary>
public sealed record AppendResult(string TaskId, long LastSeq, IReadOnlyList<AppendedEvent> Events);
