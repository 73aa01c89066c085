using System.Diagnostics;

namespace TaskEvents.AppHost.Orchestration;

/// <summary>What the AppHost asks the OS about processes it did not start in this run (Linux /proc), and SIGTERM.</summary>
internal static class OsProcesses
{
    public static bool IsAlive(int pid)
    {
        try
        {
            // A zombie has exited; only its parent's wait is missing.
            var status = File.ReadAllText($"/proc/{pid}/stat");
            var state = status[(status.LastIndexOf(')') + 2)..].FirstOrDefault();
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>The process's command line with arguments joined by spaces, or null when it is gone.</summary>
    public static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Asks the process to stop (SIGTERM): .NET services run their graceful shutdown on it.</summary>
    public static void Terminate(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        });
        kill?.WaitForExit();
    }

    public static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>SIGTERM, then SIGKILL when it is still there after <paramref name="timeout"/>.</summary>
    public static async Task StopAsync(int pid, TimeSpan timeout)
    {
        Terminate(pid);
        var deadline = DateTime.UtcNow + timeout;
        while (IsAlive(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        if (IsAlive(pid))
        {
            Kill(pid);
        }
    }
}
