namespace TaskEvents.AppHost.Orchestration;

/// <summary>A failure the user can fix: one line saying what and how, then optional context lines (a child's last log lines).</summary>
public sealed class AppHostException(string message, IReadOnlyList<string>? details = null) : Exception(message)
{
    public IReadOnlyList<string> Details { get; } = details ?? [];
}
