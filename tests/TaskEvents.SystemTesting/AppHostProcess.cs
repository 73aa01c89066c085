using System.Diagnostics;
using System.Globalization;
using TaskEvents.Testing;

namespace TaskEvents.SystemTesting;

/// <summary>
/// The AppHost as a newcomer runs it: <c>dotnet run --project TaskEvents.AppHost</c> in a process group of its own (as a
/// terminal gives it), its output kept line by line, and every process of the run found: the AppHost, DCP (which Aspire
/// starts in a session of its own, watching the AppHost's pid) and everything DCP runs.
/// </summary>
public sealed class AppHostProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Action<string> _log;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppHostProcess(Process process, string dataDirectory, Action<string> log)
    {
        _process = process;
        DataDirectory = dataDirectory;
        _log = log;
    }

    public string DataDirectory { get; }

    /// <summary>Whether <see cref="Dispose"/> deletes <see cref="DataDirectory"/> (not when a second run is to start on it).</summary>
    public bool DeletesDataDirectory { get; set; } = true;

    /// <summary>The <c>dotnet run</c> process, which leads the process group.</summary>
    public int ProcessGroup => _process.Id;

    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public Task Exited => _process.WaitForExitAsync();

    public int ExitCode => _process.ExitCode;

    public static AppHostProcess Start(string dataDirectory, Action<string> log, params string[] arguments)
    {
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = LinuxProcesses.RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["dotnet", "run", "--project", "TaskEvents.AppHost", "--no-build", "--configuration", LinuxProcesses.BuildConfiguration(), "--", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TaskEvents__DataDirectory"] = dataDirectory;
        var run = new AppHostProcess(new Process { StartInfo = start }, dataDirectory, log);
        ProcessLines.Start(run._process, run.Add);
        return run;
    }

    /// <summary>Waits for Aspire's "started" line; fails with the output when the run ends or hangs first.</summary>
    public async Task WaitUntilStartedAsync(TimeSpan timeout)
    {
        var first = await Task.WhenAny(_started.Task, Exited).WaitAsync(timeout);
        if (first != _started.Task)
        {
            throw new InvalidOperationException($"dotnet run ended with {ExitCode} before the application started:\n{Output}");
        }
    }

    /// <summary>Every process of the run right now: the process group's tree and DCP's.</summary>
    public IReadOnlyList<int> Processes()
    {
        var appHost = LinuxProcesses.Tree(ProcessGroup);
        var dcp = appHost.SelectMany(pid => LinuxProcesses.ProcessesWhoseCommandLineHas($"--monitor {pid.ToString(CultureInfo.InvariantCulture)} "));
        return [.. appHost.Concat(dcp.SelectMany(LinuxProcesses.Tree)).Distinct()];
    }

    /// <summary>PostgreSQL's own word on how its cluster was left ("shut down", "in production", ...).</summary>
    public string ClusterState()
    {
        var controlData = Process.Start(new ProcessStartInfo(Path.Combine(TaskEvents.LocalPostgres.PostgresBinaries.Locate(), "pg_controldata"))
        {
            ArgumentList = { Path.Combine(DataDirectory, "postgres", "cluster") },
            RedirectStandardOutput = true,
        })!;
        var text = controlData.StandardOutput.ReadToEnd();
        controlData.WaitForExit();
        return text.Split('\n').Single(l => l.StartsWith("Database cluster state:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
    }

    /// <summary>Kills whatever of the run is still there (a failed test) and deletes its data.</summary>
    public void Dispose()
    {
        foreach (var pid in Processes().Where(LinuxProcesses.Alive))
        {
            LinuxProcesses.Signal("KILL", pid);
        }

        _process.Dispose();
        if (!DeletesDataDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        _log(line);
        if (line.Contains("Distributed application started", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }
}
