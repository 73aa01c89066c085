namespace TaskEvents.AppHost.Orchestration;

/// <summary>One line a resource wrote, with when it arrived and on which stream.</summary>
public sealed record LogLine(long Number, DateTimeOffset Timestamp, bool IsError, string Text);
