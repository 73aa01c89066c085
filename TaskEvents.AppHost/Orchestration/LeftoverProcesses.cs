namespace TaskEvents.AppHost.Orchestration;

/// <summary>Stops the children a previous AppHost run left running because it was killed before it could stop them.</summary>
internal static class LeftoverProcesses
{
    public static async Task<IReadOnlyList<string>> StopAsync(string stateFilePath, TimeSpan timeout)
    {
        if (RunStateFile.Read(stateFilePath) is not { } state)
        {
            return [];
        }

        var owner = state.AppHostProcessId;
        if (owner != Environment.ProcessId && OsProcesses.IsAlive(owner) && OsProcesses.CommandLine(owner)?.Contains("TaskEvents.AppHost", StringComparison.Ordinal) == true)
        {
            throw new AppHostException(
                $"Another AppHost (pid {owner}) is running with the data directory {Path.GetDirectoryName(stateFilePath)}: " +
                "stop it first (Ctrl+C in its terminal), or give this one another AppHost:DataDirectory.");
        }

        // Pids get reused: only stop a process that still runs the executable this AppHost started.
        var leftovers = state.Processes
            .Where(p => OsProcesses.IsAlive(p.ProcessId) && OsProcesses.CommandLine(p.ProcessId)?.Contains(p.Executable, StringComparison.Ordinal) == true)
            .ToList();
        await Task.WhenAll(leftovers.Select(p => OsProcesses.StopAsync(p.ProcessId, timeout)));
        File.Delete(stateFilePath);
        return [.. leftovers.Select(p => $"{p.Name} (pid {p.ProcessId})")];
    }
}
