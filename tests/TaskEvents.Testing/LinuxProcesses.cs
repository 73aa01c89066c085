using System.Diagnostics;
using System.Globalization;

namespace TaskEvents.Testing;

/// <summary>What the tests and benchmarks ask Linux about processes (from /proc), the signals they send, and where the repository and its build are.</summary>
public static class LinuxProcesses
{
    /// <summary>Running, not a zombie waiting for its parent.</summary>
    public static bool Alive(int pid) => Stat(pid) is { } stat && stat.State != 'Z';

    /// <summary>The processes whose parent is <paramref name="pid"/>.</summary>
    public static IReadOnlyList<int> ChildrenOf(int pid) =>
        [.. AllProcesses().Where(p => Stat(p)?.ParentId == pid)];

    /// <summary>The processes whose command line contains <paramref name="text"/> (arguments joined by spaces, with one at the end).</summary>
    public static IReadOnlyList<int> ProcessesWhoseCommandLineHas(string text) =>
        [.. AllProcesses().Where(p => CommandLine(p).Contains(text, StringComparison.Ordinal))];

    /// <summary>Alive, with <paramref name="text"/> in its command line.</summary>
    public static bool IsRunning(int pid, string text) => Alive(pid) && CommandLine(pid).Contains(text, StringComparison.Ordinal);

    /// <summary><paramref name="pid"/> and its descendants.</summary>
    public static IReadOnlyList<int> Tree(int pid) => [pid, .. ChildrenOf(pid).SelectMany(Tree)];

    /// <summary><c>kill -SIGNAL -- target</c>; a negative target is a process group.</summary>
    public static void Signal(string signal, int target)
    {
        using var kill = Process.Start("kill", ["-" + signal, "--", target.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
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

    /// <summary>The configuration the caller was built with (Debug, Release), so processes it starts reuse that build.</summary>
    public static string BuildConfiguration() =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;

    private static IEnumerable<int> AllProcesses() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var p) ? p : 0)
            .Where(p => p > 0);

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static (char State, int ParentId)? Stat(int pid)
    {
        try
        {
            // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so read from the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
