using System.Diagnostics;
using System.Text.RegularExpressions;

namespace TaskEvents.Testing;

/// <summary>
/// TaskEvents.Api as a child process (the built TaskEvents.Api.dll), so a test can kill it the hard way:
/// SIGKILL, no shutdown, sockets dropped by the kernel mid-stream. Accepts <see cref="TestTokens"/>.
/// </summary>
public sealed partial class ApiProcess : IApiReplica, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private const string HttpHost = "127.0.0.1";
    private const string H2cHost = "127.0.0.2";

    private readonly Process _process;

    private ApiProcess(Process process, Uri baseAddress, Uri h2cAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        H2cAddress = h2cAddress;
    }

    /// <summary>The HTTP/1.1 address clients use.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The HTTP/2-only (h2c) address the gateway uses.</summary>
    public Uri H2cAddress { get; }

    public static async Task<ApiProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TaskEvents.Api.dll"));
        // Both endpoints bind a port the kernel picks (a port chosen here first could be taken by another process before the Api
        // binds it, and the Api then dies at startup); h2c listens on another loopback address so the two
        // "Now listening on" lines can be told apart.
        var arguments = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:http:Url"] = $"http://{HttpHost}:0",
            ["Kestrel:Endpoints:h2c:Url"] = $"http://{H2cHost}:0",
            ["Kestrel:Endpoints:h2c:Protocols"] = "Http2",
            ["environment"] = "Testing",
            ["contentRoot"] = ApiProjectDirectory(),
            ["ConnectionStrings:taskevents"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in TestTokens.Settings.Concat(settings ?? new Dictionary<string, string?>()))
        {
            arguments[key] = value;
        }

        foreach (var (key, value) in arguments)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var http = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var h2c = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new CapturedOutput();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, line) =>
        {
            output.Add(line.Data);
            if (line.Data is not null && ListeningOn().Match(line.Data) is { Success: true } match && new Uri(match.Groups[1].Value) is { } address)
            {
                (address.Host == H2cHost ? h2c : http).TrySetResult(address);
            }
        };
        process.ErrorDataReceived += (_, line) => output.Add(line.Data);
        process.Exited += (_, _) =>
        {
            process.WaitForExit(); // drains what it wrote before it died
            var failure = new InvalidOperationException($"The Api process exited with {process.ExitCode} before listening. Its last lines:\n{output.Tail()}");
            http.TrySetException(failure);
            h2c.TrySetException(failure);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillQuietly(process);

        try
        {
            return new ApiProcess(process, await http.Task.WaitAsync(StartTimeout), await h2c.Task.WaitAsync(StartTimeout));
        }
        catch
        {
            KillQuietly(process);
            process.Dispose();
            throw;
        }
    }

    public HttpClient CreateHttpClient() => TestHttpClient.Create(BaseAddress, TestTokens.Create());

    /// <summary>The process's resident memory, for benchmark reports.</summary>
    public long WorkingSetBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    /// <summary>SIGKILL: the process gets no chance to say goodbye to anyone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>
    /// SIGTERM, as an orchestrator stops a replica: the Api stops gracefully. Returns how long it took to exit and its
    /// exit code, or null for both when it was still running after <paramref name="timeout"/> (it is left running).
    /// </summary>
    public async Task<(TimeSpan? Took, int? ExitCode)> TerminateAsync(TimeSpan timeout)
    {
        var took = Stopwatch.StartNew();
        Signal("TERM");

        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            return (null, null);
        }

        return (took.Elapsed, _process.ExitCode);
    }

    /// <summary>SIGSTOP: the process freezes where it is, its sockets open and silent, until <see cref="Thaw"/>.</summary>
    public void Freeze() => Signal("STOP");

    /// <summary>SIGCONT: a frozen process runs on from where it stopped.</summary>
    public void Thaw() => Signal("CONT");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} failed with {kill.ExitCode}.");
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>The Api project folder, so the process reads the Api's appsettings whatever else sits in the test output.</summary>
    private static string ApiProjectDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "TaskEvents.Api");
            if (File.Exists(Path.Combine(candidate, "TaskEvents.Api.csproj")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No TaskEvents.Api project above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();
}
