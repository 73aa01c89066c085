namespace TaskEvents.AppHost.Orchestration;

/// <summary>What <see cref="RunStateFile"/> holds: the AppHost's pid and the children it started.</summary>
internal sealed record RunState(int AppHostProcessId, IReadOnlyList<RunStateEntry> Processes);
