using System.Globalization;

namespace TaskEvents.LoadTests.Measurement;

/// <summary>One reading of a process from /proc: CPU time used so far, resident memory, open files and how many are sockets.</summary>
internal sealed record ProcStats(TimeSpan CpuTime, long ResidentBytes, int OpenFiles, int Sockets, long OpenFileLimit)
{
    private const double ClockTicksPerSecond = 100.0;

    public static ProcStats Empty { get; } = new(TimeSpan.Zero, 0, 0, 0, 0);

    /// <summary>Reads <paramref name="processId"/>; a process that has gone reads as <see cref="Empty"/>.</summary>
    public static ProcStats Read(int processId, bool countFiles = false)
    {
        try
        {
            var dir = $"/proc/{processId}";
            var stat = File.ReadAllText($"{dir}/stat");
            // Fields after the command name (which may hold spaces) start at state: utime is the 12th, stime the 13th.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            var resident = long.Parse(fields[21], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
            var (files, sockets) = countFiles ? CountFiles(dir) : (0, 0);
            return new ProcStats(TimeSpan.FromSeconds(ticks / ClockTicksPerSecond), resident, files, sockets, countFiles ? OpenFileLimitOf(dir) : 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return Empty;
        }
    }

    /// <summary>The soft "Max open files" of a process (what it can open before EMFILE).</summary>
    public static long OpenFileLimitOf(string procDirectory)
    {
        foreach (var line in File.ReadLines($"{procDirectory}/limits"))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var soft = line["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return soft == "unlimited" ? long.MaxValue : long.Parse(soft, CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static (int Files, int Sockets) CountFiles(string dir)
    {
        var files = 0;
        var sockets = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries($"{dir}/fd"))
        {
            files++;
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:", StringComparison.Ordinal))
                {
                    sockets++;
                }
            }
            catch (IOException)
            {
                // Closed while listing.
            }
        }

        return (files, sockets);
    }
}
