using TaskEvents.AppHost.Orchestration;

namespace TaskEvents.AppHost.Dashboard;

/// <summary>One row of the resources page.</summary>
internal sealed record ResourceSnapshot(
    string Name, string Resource, string Kind, int Replica, string State, int? Pid, string? Endpoint,
    DateTimeOffset? StartedAt, int Restarts, int? ExitCode, string? Detail)
{
    public static ResourceSnapshot Of(ResourceInstance i) => new(
        i.Name, i.ResourceName, i.Kind, i.Replica, i.State.ToString(), i.ProcessId, i.Endpoint?.ToString().TrimEnd('/'),
        i.IsDown ? null : i.StartedAt, i.Restarts, i.ExitCode, i.Detail);
}
