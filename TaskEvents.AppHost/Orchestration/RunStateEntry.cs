namespace TaskEvents.AppHost.Orchestration;

/// <summary>A child process: the executable is checked again before stopping it, as pids get reused.</summary>
internal sealed record RunStateEntry(string Name, int ProcessId, string Executable);
