using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using TaskEvents.Testing;

namespace TaskEvents.IntegrationTests;

/// <summary>
/// The README's first command as a newcomer runs it (fixed ports: 8000, the dashboard's 18888-18890), and the ways it
/// ends: Ctrl+C, SIGTERM to the process group (what a service manager sends), and the AppHost killed outright.
/// </summary>
public sealed partial class AppHostProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Aspire stops each child with SIGTERM, then SIGKILL some seconds later; PostgreSQL's fast shutdown takes under one.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>DCP notices its AppHost is gone and stops everything by itself (about 17 s here).</summary>
    private static readonly TimeSpan OrphanCleanupTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Dotnet_run_serves_the_system_and_a_signal_to_its_process_group_leaves_nothing_running(string signal)
    {
        using var run = StartOnFixedPorts();
        await run.WaitUntilStartedAsync(StartTimeout);

        using var http = new HttpClient();
        await Poll.UntilAsync(async () => await IsHealthyAsync(http, "http://localhost:8000/health"), StartTimeout, "the gateway on :8000 is healthy");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("http://localhost:8000/demo_sse_streaming.html")).StatusCode);
        var login = LoginUrl().Match(run.Output);
        Assert.True(login.Success, "no dashboard login URL was printed");
        using var dashboard = await http.GetAsync(login.Value);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);

        var processes = run.Processes();
        Assert.Contains(processes, pid => LinuxProcesses.IsRunning(pid, "TaskEvents.Gateway/bin/"));
        Assert.Equal(2, processes.Count(pid => LinuxProcesses.IsRunning(pid, "TaskEvents.Api/bin/")));
        Assert.Contains(processes, pid => LinuxProcesses.IsRunning(pid, "postgres -D"));

        LinuxProcesses.Signal(signal, -run.ProcessGroup);
        await run.Exited.WaitAsync(StopTimeout);
        await Poll.UntilAsync(() => !processes.Any(LinuxProcesses.Alive), StopTimeout, "every process of the run gone");
        Assert.Equal("shut down", run.ClusterState());
    }

    [Fact]
    public async Task A_killed_apphost_leaves_nothing_running_and_a_cleanly_shut_down_cluster()
    {
        using var run = StartOnFixedPorts();
        await run.WaitUntilStartedAsync(StartTimeout);
        using var http = new HttpClient();
        await Poll.UntilAsync(async () => await IsHealthyAsync(http, "http://localhost:8000/health"), StartTimeout, "the gateway on :8000 is healthy");
        var processes = run.Processes();
        var appHost = Assert.Single(LinuxProcesses.ChildrenOf(run.ProcessGroup));

        // SIGKILL to the AppHost alone: it gets no chance to stop anything; DCP, watching its pid, must.
        LinuxProcesses.Signal("KILL", appHost);
        await Poll.UntilAsync(() => !processes.Any(LinuxProcesses.Alive), OrphanCleanupTimeout, "every process of the killed run gone");
        Assert.Equal("shut down", run.ClusterState());
    }

    [Fact]
    public async Task A_busy_gateway_port_stops_the_apphost_with_one_line_naming_the_port()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        using var run = AppHostProcess.Start(TemporaryDirectory(), output.Lines(), $"--TaskEvents:GatewayPort={port}");

        await run.Exited.WaitAsync(StartTimeout);

        Assert.Equal(1, run.ExitCode);
        var error = Assert.Single(run.Output.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains($"Port {port} (the gateway) is already in use", error);
        Assert.Contains("TaskEvents__GatewayPort", error);
    }

    [Fact]
    public async Task No_postgresql_binaries_stop_the_apphost_with_one_line_saying_how_to_get_them()
    {
        // PG_BIN names the folder to use, and only that one: an empty folder stands for a machine without PostgreSQL.
        var empty = TemporaryDirectory();
        using var run = AppHostProcess.Start(empty, output.Lines(), $"--PG_BIN={empty}", "--TaskEvents:GatewayPort=0");

        await run.Exited.WaitAsync(StartTimeout);

        Assert.Equal(1, run.ExitCode);
        var error = Assert.Single(run.Output.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.StartsWith($"error: No PostgreSQL found in PG_BIN ({empty})", error);
        Assert.Contains("ConnectionStrings:taskevents", error);
    }

    private AppHostProcess StartOnFixedPorts()
    {
        foreach (var port in (int[])[8000, 18888, 18889, 18890])
        {
            Assert.True(IsFree(port), $"Port {port} is in use on this machine; this test runs the AppHost on its fixed ports.");
        }

        return AppHostProcess.Start(TemporaryDirectory(), output.Lines());
    }

    private static string TemporaryDirectory() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"taskevents-apphost-{Guid.NewGuid():N}")).FullName;

    private static async Task<bool> IsHealthyAsync(HttpClient http, string url)
    {
        try
        {
            return (await http.GetAsync(url)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static bool IsFree(int port) =>
        !IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Any(listener => listener.Port == port);

    [GeneratedRegex(@"http://localhost:18888/login\?t=[0-9a-f]+")]
    private static partial Regex LoginUrl();
}
