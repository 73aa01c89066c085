namespace TaskEvents.AppHost.Orchestration;

/// <summary>Where a resource instance is in its life, as the dashboard shows it.</summary>
public enum ResourceState
{
    NotStarted,
    Waiting,
    Starting,
    Running,
    Healthy,
    Unhealthy,
    Stopping,
    Exited,
    FailedToStart,
}
