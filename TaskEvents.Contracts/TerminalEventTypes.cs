namespace TaskEvents.Contracts;

/// <summary>The event types that end a task; the server refuses appends after one of them.</summary>
public static class TerminalEventTypes
{
    public const string Completed = "task_completed";
    public const string Failed = "task_failed";
    public const string Cancelled = "task_cancelled";

    public static bool Contains(string eventType) => eventType is Completed or Failed or Cancelled;
}
