using System.Diagnostics;
using TaskEvents.AppHost.Hosting;

namespace TaskEvents.AppHost.Orchestration;

/// <summary>
/// One replica of a project as a child process: started from the project's build output with Aspire's
/// environment contract, its output captured, its health polled, stopped with SIGTERM then SIGKILL.
/// </summary>
internal sealed class ProjectReplica(ProjectResource resource, ResourceInstance instance, AppHostOptions options, HttpClient healthClient, RunStateFile stateFile)
{
    // Variables a child must not inherit from the AppHost's own environment: the AppHost decides them.
    private static readonly string[] NotInherited = ["ASPNETCORE_URLS", "URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "HTTPS_PORTS"];

    private readonly Lock _gate = new();
    private Process? _process;
    private Task _exited = Task.CompletedTask;
    private CancellationTokenSource? _healthChecks;
    private bool _stopping;

    public ResourceInstance Instance => instance;

    public void Start()
    {
        lock (_gate)
        {
            if (_process is not null)
            {
                return;
            }

            var environment = BuildEnvironment();
            instance.Environment = environment;
            var project = resource.Project;
            var start = new ProcessStartInfo
            {
                FileName = project.Launcher ?? DotnetHost.Path,
                // The project folder, as `dotnet run` would: the service finds its appsettings and wwwroot there.
                WorkingDirectory = project.ProjectDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            if (project.Launcher is null)
            {
                start.ArgumentList.Add(project.AssemblyPath);
            }

            foreach (var arg in resource.Args)
            {
                start.ArgumentList.Add(arg);
            }

            foreach (var name in NotInherited)
            {
                start.Environment.Remove(name);
            }

            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { instance.Log.Write(e.Data); } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { instance.Log.Write(e.Data, isError: true); } };
            try
            {
                process.Start();
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                process.Dispose();
                instance.Exited(null, ResourceState.FailedToStart, $"could not start {start.FileName}: {ex.Message}");
                return;
            }

            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _process = process;
            _stopping = false;
            stateFile.Add(new RunStateEntry(instance.Name, process.Id, start.FileName == DotnetHost.Path ? project.AssemblyPath : start.FileName));
            instance.Started(process.Id);
            instance.Log.Write($"[apphost] started pid {process.Id}: {start.FileName} {string.Join(' ', start.ArgumentList)}");

            _healthChecks = new CancellationTokenSource();
            if (resource.HealthCheckPath is { } path && instance.Endpoint is { } endpoint)
            {
                _ = MonitorHealthAsync(new Uri(endpoint, path), _healthChecks.Token);
            }
            else
            {
                instance.Set(ResourceState.Running);
            }

            _exited = WatchExitAsync(process);
        }
    }

    /// <summary>SIGTERM, then SIGKILL after the shutdown timeout.</summary>
    public async Task StopAsync()
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
            if (process is null)
            {
                return;
            }

            _stopping = true;
        }

        instance.Set(ResourceState.Stopping);
        try
        {
            OsProcesses.Terminate(process.Id);
            await _exited.WaitAsync(options.ShutdownTimeout);
        }
        catch (TimeoutException)
        {
            instance.Log.Write($"[apphost] still running {options.ShutdownTimeout.TotalSeconds:0} s after SIGTERM: killing it", isError: true);
            process.Kill(entireProcessTree: true);
            await _exited;
        }
        catch (InvalidOperationException)
        {
            // It exited in the meantime.
        }
    }

    /// <summary>SIGKILL, no goodbye: what a crash looks like to everyone else.</summary>
    public async Task KillAsync()
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
        }

        if (process is not null)
        {
            process.Kill(entireProcessTree: true);
            await _exited;
        }
    }

    private async Task WatchExitAsync(Process process)
    {
        // Returns once the process has exited and its output has been read to the end.
        await process.WaitForExitAsync();
        await (_healthChecks?.CancelAsync() ?? Task.CompletedTask);
        var exitCode = process.ExitCode;
        bool stopping;
        lock (_gate)
        {
            stopping = _stopping;
            _process = null;
        }

        stateFile.Remove(process.Id);
        process.Dispose();
        instance.Log.Write($"[apphost] exited with code {exitCode}");
        var wasUp = instance.State is ResourceState.Running or ResourceState.Healthy or ResourceState.Unhealthy;
        var state = stopping || wasUp ? ResourceState.Exited : ResourceState.FailedToStart;
        instance.Exited(exitCode, state, stopping ? null : $"exited with code {exitCode}");
    }

    private async Task MonitorHealthAsync(Uri health, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                using var response = await healthClient.GetAsync(health, timeout.Token);
                instance.ReportHealth(
                    response.IsSuccessStatusCode ? ResourceState.Healthy : ResourceState.Unhealthy,
                    response.IsSuccessStatusCode ? null : $"{health.AbsolutePath} answered {(int)response.StatusCode}");
            }
            catch (HttpRequestException ex)
            {
                // Not listening yet while starting; a refusal after that means it stopped answering.
                if (instance.State != ResourceState.Starting)
                {
                    instance.ReportHealth(ResourceState.Unhealthy, ex.Message);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                instance.ReportHealth(ResourceState.Unhealthy, $"{health.AbsolutePath} did not answer within 3 s");
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.Delay(instance.State == ResourceState.Healthy ? options.HealthCheckInterval : TimeSpan.FromMilliseconds(250), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private SortedDictionary<string, string?> BuildEnvironment()
    {
        var environment = new SortedDictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = options.Environment,
            ["DOTNET_ENVIRONMENT"] = options.Environment,
            ["OTEL_SERVICE_NAME"] = resource.Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instance.Name}",
            // One line per entry and no colour codes: the dashboard shows the lines as they come.
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled",
            ["DOTNET_NOLOGO"] = "1",
        };
        if (instance.Endpoint is { } endpoint)
        {
            environment["Kestrel__Endpoints__http__Url"] = endpoint.ToString().TrimEnd('/');
        }

        if (instance.H2cEndpoint is { } h2c)
        {
            environment["Kestrel__Endpoints__h2c__Url"] = h2c.ToString().TrimEnd('/');
            environment["Kestrel__Endpoints__h2c__Protocols"] = "Http2";
        }

        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = options.OtlpEndpoint;
        }

        foreach (var callback in resource.EnvironmentCallbacks)
        {
            callback(environment);
        }

        return environment;
    }
}
