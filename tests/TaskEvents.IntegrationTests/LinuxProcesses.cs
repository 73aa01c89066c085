using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace TaskEvents.IntegrationTests;

/// <summary>What the process tests ask Linux about the AppHost's processes, and the signals they send.</summary>
internal static class LinuxProcesses
{
    /// <summary>Running, not a zombie waiting for its parent.</summary>
    public static bool Alive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');

    /// <summary><c>kill -SIGNAL -- target</c>; a negative target is a process group.</summary>
    public static void Signal(string signal, int target)
    {
        using var kill = Process.Start("kill", ["-" + signal, "--", target.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>The AppHost's pid and its children's pids, from the run state file in its data directory.</summary>
    public static (int AppHost, IReadOnlyList<int> Children) RunState(string dataDirectory)
    {
        var state = JsonElement.Parse(File.ReadAllText(Path.Combine(dataDirectory, "apphost-run.json")));
        return (state.GetProperty("AppHostProcessId").GetInt32(),
            [.. state.GetProperty("Processes").EnumerateArray().Select(p => p.GetProperty("ProcessId").GetInt32())]);
    }

    /// <summary>The postmaster of the AppHost's persistent PostgreSQL cluster, from its postmaster.pid.</summary>
    public static int? PostgresPid(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postgres", "cluster", "postmaster.pid");
        return File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    /// <summary>SIGTERM to a PostgreSQL a failed test left on <paramref name="dataDirectory"/>.</summary>
    public static void StopLeftoverPostgres(string dataDirectory)
    {
        if (PostgresPid(dataDirectory) is { } pid && Alive(pid))
        {
            Signal("TERM", pid);
        }
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TaskEvents.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No TaskEvents.sln above the test output.");
    }

    /// <summary>The configuration these tests were built with (Debug, Release), so runs reuse that build.</summary>
    public static string BuildConfiguration() =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;
}
