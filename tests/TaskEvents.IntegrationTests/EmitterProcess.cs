using System.Diagnostics;
using TaskEvents.Testing;

namespace TaskEvents.IntegrationTests;

/// <summary>The Emitter CLI as a separate process (its own build output), its output kept for the assertion messages.</summary>
internal sealed class EmitterProcess
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private EmitterProcess(Process process) => _process = process;

    /// <summary>The tests' own target framework folder (net10.0), which the emitter was built into too.</summary>
    private static string TargetFramework => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static EmitterProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(LinuxProcesses.RepositoryRoot(), "TaskEvents.Emitter", "bin", LinuxProcesses.BuildConfiguration(), TargetFramework, "TaskEvents.Emitter.dll"));

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var run = new EmitterProcess(new Process { StartInfo = start });
        ProcessLines.Start(run._process, run.Add);
        return run;
    }

    /// <summary>The exit code, or kills the process and fails when it runs past <paramref name="timeout"/>.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return _process.ExitCode;
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The emitter ran longer than {timeout}. Its output:\n{Output}");
        }
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }
}
