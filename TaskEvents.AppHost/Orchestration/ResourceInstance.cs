namespace TaskEvents.AppHost.Orchestration;

/// <summary>
/// One running thing the AppHost watches: a replica of a project, or the PostgreSQL server. Its state changes
/// are announced, so the dashboard updates live and callers can await a state instead of polling.
/// </summary>
public sealed class ResourceInstance
{
    private readonly Lock _gate = new();
    private readonly List<(Func<ResourceInstance, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    internal ResourceInstance(string name, string resourceName, string kind, int replica)
    {
        Name = name;
        ResourceName = resourceName;
        Kind = kind;
        Replica = replica;
    }

    /// <summary>Unique: <c>api-0</c>, <c>api-1</c>; just the resource name when it has one instance.</summary>
    public string Name { get; }

    public string ResourceName { get; }

    public string Kind { get; }

    public int Replica { get; }

    public ResourceState State { get; private set; } = ResourceState.NotStarted;

    public int? ProcessId { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public int? ExitCode { get; private set; }

    public int Restarts { get; internal set; }

    public Uri? Endpoint { get; internal set; }

    /// <summary>The HTTP/2-only (h2c) endpoint other services use, when the project has one.</summary>
    public Uri? H2cEndpoint { get; internal set; }

    /// <summary>What the last health check or failure said, for the dashboard.</summary>
    public string? Detail { get; private set; }

    public IReadOnlyDictionary<string, string?> Environment { get; internal set; } = new Dictionary<string, string?>();

    public ResourceLog Log { get; } = new();

    /// <summary>Raised after every change of state.</summary>
    public event Action<ResourceInstance>? Changed;

    public bool IsReady => State is ResourceState.Healthy or ResourceState.Running;

    public bool IsDown => State is ResourceState.NotStarted or ResourceState.Exited or ResourceState.FailedToStart;

    internal void Started(int? processId)
    {
        lock (_gate)
        {
            ProcessId = processId;
            StartedAt = DateTimeOffset.UtcNow;
            ExitCode = null;
            Detail = null;
        }

        Set(ResourceState.Starting);
    }

    internal void Exited(int? exitCode, ResourceState state, string? detail = null)
    {
        lock (_gate)
        {
            ExitCode = exitCode;
            Detail = detail;
        }

        Set(state);
    }

    /// <summary>A health check's verdict; ignored unless the instance is still up (a late check must not revive an exited one).</summary>
    internal void ReportHealth(ResourceState state, string? detail) =>
        Set(state, detail, current => current is ResourceState.Starting or ResourceState.Healthy or ResourceState.Unhealthy);

    internal void Set(ResourceState state, string? detail = null, Func<ResourceState, bool>? onlyFrom = null)
    {
        List<TaskCompletionSource> done = [];
        lock (_gate)
        {
            if ((State == state && detail == Detail) || (onlyFrom is not null && !onlyFrom(State)))
            {
                return;
            }

            State = state;
            Detail = detail ?? (state is ResourceState.Healthy or ResourceState.Running ? null : Detail);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(this))
                {
                    done.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var waiter in done)
        {
            waiter.TrySetResult();
        }

        Changed?.Invoke(this);
    }

    /// <summary>Completes when <paramref name="condition"/> holds (now or after a later change).</summary>
    public async Task WaitUntilAsync(Func<ResourceInstance, bool> condition, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(this))
            {
                return;
            }

            _waiters.Add((condition, done));
        }

        await done.Task.WaitAsync(cancellationToken);
    }
}
