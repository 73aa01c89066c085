using System.Globalization;

namespace TaskEvents.ApiBench;

/// <summary>
/// CPU time (user + system, from /proc) of the processes a run involves: this benchmark, the Api (its child) and the
/// PostgreSQL server (the postmaster started on our data directory and its backends). Linux only; zeros elsewhere.
/// </summary>
internal sealed record ProcessCpu(double Bench, double Api, double Postgres)
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on

    public static ProcessCpu Read(string postgresDataDirectory)
    {
        if (!Directory.Exists("/proc"))
        {
            return new ProcessCpu(0, 0, 0);
        }

        var self = Environment.ProcessId;
        var processes = Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? Stat(pid) : null)
            .OfType<(int Pid, int Parent, double Seconds)>().ToList();
        var postmaster = processes.FirstOrDefault(p => CommandLine(p.Pid).Contains(postgresDataDirectory, StringComparison.Ordinal)).Pid;
        return new ProcessCpu(
            processes.Where(p => p.Pid == self).Sum(p => p.Seconds),
            processes.Where(p => p.Parent == self && CommandLine(p.Pid).Contains("TaskEvents.Api.dll", StringComparison.Ordinal)).Sum(p => p.Seconds),
            processes.Where(p => postmaster != 0 && (p.Pid == postmaster || p.Parent == postmaster)).Sum(p => p.Seconds));
    }

    /// <summary>Each process's share of one core between two readings taken <paramref name="elapsed"/> apart.</summary>
    public static string Between(ProcessCpu before, ProcessCpu after, TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"cpu (% of one core): api {Percent(after.Api - before.Api, elapsed)}  postgres {Percent(after.Postgres - before.Postgres, elapsed)}  bench {Percent(after.Bench - before.Bench, elapsed)}");

    private static string Percent(double seconds, TimeSpan elapsed) => (seconds / elapsed.TotalSeconds * 100).ToString("F0", CultureInfo.InvariantCulture);

    private static (int Pid, int Parent, double Seconds)? Stat(int pid)
    {
        try
        {
            // The command name (field 2) is in parentheses and may hold spaces: split after its closing one.
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (pid, int.Parse(fields[1], CultureInfo.InvariantCulture), ticks / TicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // exited meanwhile, or not ours to read
        }
    }

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
}
