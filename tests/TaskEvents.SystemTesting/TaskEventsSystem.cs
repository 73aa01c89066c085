using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskEvents.Testing;

namespace TaskEvents.SystemTesting;

/// <summary>
/// The whole system from the AppHost's own app model through Aspire.Hosting.Testing: PostgreSQL, the Api replicas, the
/// gateway and the emitter, on free ports with a database of its own. Disposing it stops everything and checks that no
/// process of the run is left.
/// </summary>
public sealed class TaskEventsSystem : IAsyncDisposable
{
    private const string DashboardResourceName = "aspire-dashboard";
    private static readonly TimeSpan ProcessExitDeadline = TimeSpan.FromSeconds(15);

    private readonly TaskEventsSystemOptions _options;
    private readonly HashSet<int> _processes = [];

    private readonly string? _browserToken;

    private TaskEventsSystem(DistributedApplication app, TaskEventsSystemOptions options, string dataDirectory, string? browserToken)
    {
        App = app;
        _options = options;
        DataDirectory = dataDirectory;
        _browserToken = browserToken;
    }

    public DistributedApplication App { get; }

    public string DataDirectory { get; }

    /// <summary>The dashboard's login link (with this run's browser token) when the dashboard runs.</summary>
    public Uri? DashboardLoginUrl =>
        _browserToken is null ? null : new Uri(App.GetEndpoint(DashboardResourceName, "http"), $"/login?t={_browserToken}");

    /// <summary>The dashboard's OTLP/gRPC endpoint (where the services send telemetry) when the dashboard runs.</summary>
    public Uri? DashboardOtlpEndpoint => _browserToken is null ? null : App.GetEndpoint(DashboardResourceName, "otlp-grpc");

    /// <summary>The AppHost's resource service (the dashboard's source of resources, logs and commands) when the dashboard runs.</summary>
    public Uri? ResourceServiceEndpoint =>
        _browserToken is not null
        && App.ResourceNotifications.TryGetCurrentState(DashboardResourceName, out var dashboard)
        && dashboard.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL")?.Value is { } url
            ? new Uri(url)
            : null;

    public Uri Gateway => App.GetEndpoint("gateway", "http");

    public IReadOnlyList<string> ApiReplicas =>
        [.. App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>().Select(r => r.Name).Where(n => n.StartsWith("api-", StringComparison.Ordinal))];

    public Uri ApiEndpoint(string replica) => App.GetEndpoint(replica, "http");

    public static async Task<TaskEventsSystem> StartAsync(TaskEventsSystemOptions options, CancellationToken cancellationToken = default)
    {
        var dataDirectory = options.DataDirectory ?? Path.Combine(Path.GetTempPath(), $"taskevents-system-{Guid.NewGuid():N}");
        var browserToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        string[] arguments =
        [
            $"--TaskEvents:DataDirectory={dataDirectory}",
            $"--TaskEvents:DurableDatabase={options.DurableDatabase}",
            "--TaskEvents:GatewayPort=0",
            // The testing builder has DCP proxy the dashboard's endpoints on random ports (DcpPublisher:RandomizePorts), so
            // the ports here only set the loopback host; the allocated ones are read back from the dashboard resource, as
            // is the AppHost's resource service (on a port of its own). A browser token given as AppHost:BrowserToken is
            // replaced by a generated one; this key is the one Aspire keeps.
            .. options.Dashboard
                ? (string[])[$"--ASPNETCORE_URLS=http://127.0.0.1:{FreePort()}", $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePort()}",
                   $"--ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN={browserToken}"]
                : [],
            .. options.Arguments,
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TaskEvents_AppHost>(
            arguments, (app, _) => app.DisableDashboard = !options.Dashboard, cancellationToken);
        builder.Services.AddLogging(logging =>
        {
            // Health checks fail, with a stack trace each, until a service listens: expected while starting. A start that
            // never gets healthy fails StartAsync with a timeout, and the resources' own logs say why.
            logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None);
            if (options.Log is { } log)
            {
                logging.AddProvider(new LineLoggerProvider(log));
            }
        });

        var system = new TaskEventsSystem(await builder.BuildAsync(cancellationToken), options, dataDirectory, options.Dashboard ? browserToken : null);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.StartTimeout);
            await system.App.StartAsync(timeout.Token);
            await system.App.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);
            await system.App.ResourceNotifications.WaitForResourceAsync("emitter", KnownResourceStates.Running, timeout.Token);
            if (!options.Emitter)
            {
                await system.ExecuteCommandAsync("emitter", KnownResourceCommands.StopCommand, timeout.Token);
            }

            system.TrackProcesses();
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The service's own process: the resource's recorded pid is the <c>dotnet run</c> (or script) that started it, and the
    /// service is that process's child.
    /// </summary>
    public int ServiceProcessId(string resource)
    {
        var launcher = LauncherProcessId(resource) ?? throw new InvalidOperationException($"'{resource}' has no process.");
        return LinuxProcesses.ChildrenOf(launcher) is [var service, ..] ? service : launcher;
    }

    /// <summary>SIGKILL to the service's own process (no shutdown, sockets dropped by the kernel); Aspire sees it exit.</summary>
    public async Task KillAsync(string resource, CancellationToken cancellationToken = default)
    {
        TrackProcesses();
        LinuxProcesses.Signal("KILL", ServiceProcessId(resource));
        await App.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates, cancellationToken);
    }

    /// <summary>A resource command (Aspire's start, stop, restart, or one of the AppHost's); its message, or an exception with it when it fails.</summary>
    public async Task<string?> ExecuteCommandAsync(string resource, string command, CancellationToken cancellationToken = default)
    {
        TrackProcesses();
        var result = await App.ResourceCommands.ExecuteCommandAsync(resource, command, cancellationToken);
        if (!result.Success)
        {
            throw new InvalidOperationException($"'{command}' on '{resource}' failed: {result.Message}");
        }

        TrackProcesses();
        return result.Message;
    }

    public async ValueTask DisposeAsync()
    {
        TrackProcesses();
        try
        {
            await App.StopAsync();
        }
        finally
        {
            await App.DisposeAsync();
        }

        var left = await ProcessesLeftAsync();
        if (_options.DataDirectory is null)
        {
            TryDelete(DataDirectory);
        }

        if (left.Count > 0)
        {
            throw new InvalidOperationException(
                $"{left.Count} process(es) of the system outlived it (killed now): {string.Join(", ", left)}.");
        }
    }

    private int? LauncherProcessId(string resource) =>
        App.ResourceNotifications.TryGetCurrentState(resource, out var state)
        && state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
        && int.TryParse(value.ToString(), CultureInfo.InvariantCulture, out var pid) ? pid : null;

    /// <summary>Every process the run has had so far (launchers, services, PostgreSQL's postmaster and backends).</summary>
    private void TrackProcesses()
    {
        foreach (var resource in App.Services.GetRequiredService<DistributedApplicationModel>().Resources)
        {
            if (LauncherProcessId(resource.Name) is { } launcher && LinuxProcesses.Alive(launcher))
            {
                _processes.UnionWith(LinuxProcesses.Tree(launcher));
            }
        }
    }

    private async Task<IReadOnlyList<int>> ProcessesLeftAsync()
    {
        var deadline = DateTime.UtcNow + ProcessExitDeadline;
        while (_processes.Any(LinuxProcesses.Alive) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var left = _processes.Where(LinuxProcesses.Alive).ToList();
        foreach (var pid in left)
        {
            LinuxProcesses.Signal("KILL", pid);
        }

        return left;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Owned by postgres and busy a moment longer: the temp folder keeps it.
        }
    }
}
