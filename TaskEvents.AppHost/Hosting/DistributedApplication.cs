using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskEvents.AppHost.Dashboard;
using TaskEvents.AppHost.Orchestration;
using TaskEvents.LocalPostgres;

namespace TaskEvents.AppHost.Hosting;

/// <summary>
/// The running app model: starts the resources (and the dashboard), prints where everything is, stops it all
/// on Ctrl+C or SIGTERM. Also what the test harness drives.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly DistributedApplicationBuilder _builder;
    private ResourceOrchestrator? _orchestrator;
    private DashboardServer? _dashboard;
    private int _stopped;

    internal DistributedApplication(DistributedApplicationBuilder builder) => _builder = builder;

    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(args);

    public AppHostOptions Options { get; private set; } = new();

    public string DataDirectory { get; private set; } = "";

    public ResourceOrchestrator Orchestrator => _orchestrator ?? throw new InvalidOperationException("The application has not been started.");

    /// <summary>The dashboard URL that logs the browser in (with the run's token), when the dashboard runs.</summary>
    public Uri? DashboardLoginUrl => _dashboard?.LoginUrl;

    /// <summary>What the AppHost has to say while starting (which PostgreSQL, leftovers stopped).</summary>
    public event Action<string>? Announced;

    /// <summary>Every line every resource writes, as it arrives (the harness sends them to the test output).</summary>
    internal Action<ResourceInstance, LogLine>? ResourceLogSink { get; set; }

    /// <summary>The AppHost's main loop: start, print the addresses, wait for Ctrl+C/SIGTERM, stop. Sets the exit code.</summary>
    public void Run() => Environment.ExitCode = RunAsync().GetAwaiter().GetResult();

    public async Task<int> RunAsync()
    {
        using var shutdown = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            // The first signal stops gracefully; a second one ends the AppHost at once (the next run cleans up).
            context.Cancel = !shutdown.IsCancellationRequested;
            shutdown.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        var console = new AppHostConsole(Console.Out, Console.Error);
        Announced += console.Info;
        var exitCode = 0;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await StartAsync(shutdown.Token);
            console.Started(this, stopwatch.Elapsed);
            await Task.Delay(Timeout.Infinite, shutdown.Token);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: the normal end.
        }
        catch (AppHostException ex)
        {
            console.Error(ex.Message, ex.Details);
            exitCode = 1;
        }
        catch (OptionsValidationException ex)
        {
            console.Error($"Invalid AppHost configuration: {string.Join(" ", ex.Failures)}", []);
            exitCode = 1;
        }

        console.Info("Stopping…");
        await StopAsync();
        console.Info(exitCode == 0 ? "Stopped." : "Stopped after the error above.");
        return exitCode;
    }

    /// <summary>Starts the dashboard (unless disabled) and every resource; returns once all are healthy or running.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        Options = BindOptions();
        DataDirectory = PrepareDataDirectory(Options.DataDirectory ?? DataDirectories.Default());
        _orchestrator = new ResourceOrchestrator(_builder.Resources, Options, _builder.Configuration, DataDirectory);
        _orchestrator.Announced += line => Announced?.Invoke(line);
        if (ResourceLogSink is { } sink)
        {
            foreach (var instance in _orchestrator.Instances)
            {
                instance.Log.LineWritten += line => sink(instance, line);
            }
        }

        if (Options.DashboardEnabled)
        {
            var port = Options.RandomizePorts ? LocalPostgresServer.FreeTcpPort() : Options.DashboardPort;
            ResourceOrchestrator.EnsurePortIsFree(port, "the dashboard's port");
            _dashboard = await DashboardServer.StartAsync(_orchestrator, Options, port, cancellationToken);
        }

        await _orchestrator.StartAsync(cancellationToken);
    }

    /// <summary>Stops every resource and the dashboard; safe to call more than once.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        if (_orchestrator is not null)
        {
            await _orchestrator.DisposeAsync();
        }

        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }

        if (Options.TemporaryDatabase && Directory.Exists(DataDirectory))
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A child still writing a log; the temp folder gets cleaned by the OS.
            }
        }
    }

    /// <summary>Completes once every instance of <paramref name="resourceName"/> is healthy (or running, without a health check).</summary>
    public Task WaitForHealthyAsync(string resourceName, CancellationToken cancellationToken = default) =>
        Task.WhenAll(Instances(resourceName).Select(i => i.WaitUntilAsync(x => x.IsReady, cancellationToken)));

    /// <summary>Where a replica of <paramref name="resourceName"/> listens.</summary>
    public Uri GetEndpoint(string resourceName, int replica = 0) =>
        Instances(resourceName).ElementAtOrDefault(replica)?.Endpoint ?? throw new InvalidOperationException($"'{resourceName}' has no endpoint (replica {replica}).");

    /// <summary>A client whose base address is the resource's endpoint.</summary>
    public HttpClient CreateHttpClient(string resourceName, int replica = 0) => new() { BaseAddress = GetEndpoint(resourceName, replica) };

    public string? GetConnectionString(string resourceName) =>
        _builder.Resources.OfType<IResourceWithConnectionString>().FirstOrDefault(r => r.Name == resourceName)?.GetConnectionString();

    public async ValueTask DisposeAsync() => await StopAsync();

    private IReadOnlyList<ResourceInstance> Instances(string resourceName) =>
        Orchestrator.InstancesOf(resourceName) is { Count: > 0 } instances ? instances : throw new KeyNotFoundException($"No resource named '{resourceName}'.");

    private AppHostOptions BindOptions()
    {
        var services = new ServiceCollection();
        services.AddOptions<AppHostOptions>()
            .Bind(_builder.Configuration.GetSection(AppHostOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider.GetRequiredService<IOptions<AppHostOptions>>().Value;
    }

    private static string PrepareDataDirectory(string directory)
    {
        var info = Directory.CreateDirectory(directory);
        if (Environment.UserName == "root" && !OperatingSystem.IsWindows())
        {
            // PostgreSQL runs as the postgres user, which must be able to pass through this folder to its own.
            info.UnixFileMode |= UnixFileMode.OtherExecute | UnixFileMode.GroupExecute;
        }

        return info.FullName;
    }
}
