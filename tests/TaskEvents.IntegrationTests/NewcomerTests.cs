using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TaskEvents.IntegrationTests;

/// <summary>The README's first command, run the way a newcomer runs it, stopped the way they stop it (Ctrl+C).</summary>
public sealed partial class NewcomerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Dotnet_run_starts_the_system_and_ctrl_c_leaves_nothing_running()
    {
        foreach (var port in (int[])[8000, 18888])
        {
            using var probe = new TcpListener(IPAddress.Any, port);
            try
            {
                probe.Start();
            }
            catch (SocketException)
            {
                Assert.Fail($"Port {port} is in use on this machine; the newcomer test needs it (the gateway's and the dashboard's fixed ports).");
            }
        }

        var dataDirectory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"taskevents-newcomer-{Guid.NewGuid():N}")).FullName;
        var lines = new List<string>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // setsid: its own process group, so the test can send SIGINT to the group as a terminal's Ctrl+C does.
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = LinuxProcesses.RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["dotnet", "run", "--project", "TaskEvents.AppHost", "--configuration", LinuxProcesses.BuildConfiguration()])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["AppHost__DataDirectory"] = dataDirectory;
        using var process = new Process { StartInfo = start };
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(line);
            }

            output.WriteLine(line);
            if (line.Contains("Started in", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var processGroup = process.Id;
        try
        {
            var first = await Task.WhenAny(started.Task, exited).WaitAsync(StartTimeout);
            Assert.True(first == started.Task, $"dotnet run ended before the Started line:\n{Joined(lines)}");

            using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() });
            var health = JsonElement.Parse(await http.GetStringAsync("http://localhost:8000/sse/health"));
            Assert.True(health.TryGetProperty("active_connections", out _));

            var login = LoginUrl().Match(Joined(lines));
            Assert.True(login.Success, "no dashboard login URL was printed");
            using var dashboard = await http.GetAsync(login.Value);
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
            Assert.Equal("/", dashboard.RequestMessage!.RequestUri!.AbsolutePath);
            Assert.Contains("TaskEvents dashboard", await dashboard.Content.ReadAsStringAsync());
            using var withoutLogin = await new HttpClient().GetAsync("http://localhost:18888/api/resources");
            Assert.Equal(HttpStatusCode.Unauthorized, withoutLogin.StatusCode);

            var state = LinuxProcesses.RunState(dataDirectory);
            var postgres = LinuxProcesses.PostgresPid(dataDirectory) ?? throw new InvalidOperationException("PostgreSQL is not running.");
            int[] everything = [.. state.Children, state.AppHost, postgres];
            Assert.Equal(4, state.Children.Count); // api-0, api-1, gateway, emitter
            Assert.All(everything, pid => Assert.True(LinuxProcesses.Alive(pid), $"pid {pid} is not running"));

            LinuxProcesses.Signal("INT", -processGroup);
            await exited.WaitAsync(StopTimeout);
            await Poll.UntilAsync(() => !everything.Any(LinuxProcesses.Alive), TimeSpan.FromSeconds(2), "every child and PostgreSQL gone");
            Assert.Contains(lines, l => l.Contains("Stopped.", StringComparison.Ordinal));
        }
        finally
        {
            if (!process.HasExited)
            {
                LinuxProcesses.Signal("KILL", -processGroup);
            }

            LinuxProcesses.StopLeftoverPostgres(dataDirectory);
        }
    }

    private static string Joined(List<string> lines)
    {
        lock (lines)
        {
            return string.Join('\n', lines);
        }
    }

    [GeneratedRegex(@"http://localhost:18888/login\?t=[0-9a-f]+")]
    private static partial Regex LoginUrl();
}
