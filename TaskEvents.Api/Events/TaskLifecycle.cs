namespace TaskEvents.Api.Events;

/// <summary>Task lifecycle states as stored and shown; terminal event types move a task out of <see cref="Running"/>.</summary>
public static class TaskLifecycle
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>The status a terminal event type sets, or null when the type is not terminal.</summary>
    public static string? SetBy(string eventType) => eventType switch
    {
        Contracts.TerminalEventTypes.Completed => Completed,
        Contracts.TerminalEventTypes.Failed => Failed,
        Contracts.TerminalEventTypes.Cancelled => Cancelled,
        _ => null,
    };
}
