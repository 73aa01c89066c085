using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using TaskEvents.AppHost.Hosting;
using TaskEvents.LocalPostgres;

namespace TaskEvents.AppHost.Orchestration;

/// <summary>
/// Runs the app model: assigns ports, starts each resource once what it waits for is ready, watches health,
/// starts/stops/restarts single instances on request, and stops everything in reverse order.
/// </summary>
public sealed class ResourceOrchestrator : IAsyncDisposable
{
    private readonly IReadOnlyList<IResource> _resources;
    private readonly AppHostOptions _options;
    private readonly RunStateFile _stateFile;
    private readonly HttpClient _healthClient = new();
    private readonly Dictionary<string, PostgresRunner> _postgres = [];
    private readonly Dictionary<string, List<ProjectReplica>> _projects = [];
    private readonly List<ResourceInstance> _instances = [];

    internal ResourceOrchestrator(IReadOnlyList<IResource> resources, AppHostOptions options, IConfiguration configuration, string dataDirectory)
    {
        _resources = resources;
        _options = options;
        _stateFile = new RunStateFile(Path.Combine(dataDirectory, "apphost-run.json"));
        foreach (var resource in resources)
        {
            switch (resource)
            {
                case PostgresServerResource server:
                    var instance = new ResourceInstance(server.Name, server.Name, "PostgreSQL", 0);
                    _postgres[server.Name] = new PostgresRunner(server, instance, options, configuration, dataDirectory);
                    _instances.Add(instance);
                    break;
                case ProjectResource project:
                    var replicas = Enumerable.Range(0, project.Replicas)
                        .Select(i => new ResourceInstance(project.Replicas == 1 ? project.Name : $"{project.Name}-{i}", project.Name, "Project", i))
                        .Select(i => new ProjectReplica(project, i, options, _healthClient, _stateFile))
                        .ToList();
                    _projects[project.Name] = replicas;
                    _instances.AddRange(replicas.Select(r => r.Instance));
                    break;
            }
        }
    }

    public IReadOnlyList<ResourceInstance> Instances => _instances;

    /// <summary>Lines worth printing at startup (which PostgreSQL was chosen, leftovers stopped).</summary>
    public event Action<string>? Announced;

    public ResourceInstance? Find(string instanceName) => _instances.FirstOrDefault(i => i.Name == instanceName);

    public IReadOnlyList<ResourceInstance> InstancesOf(string resourceName) =>
        [.. _instances.Where(i => i.ResourceName == resourceName)];

    /// <summary>Starts everything; throws <see cref="AppHostException"/> with the fix when something cannot start.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var leftovers = await LeftoverProcesses.StopAsync(_stateFile.Path, _options.ShutdownTimeout);
        if (leftovers.Count > 0)
        {
            Announced?.Invoke($"Stopped what a previous run left running: {string.Join(", ", leftovers)}");
        }

        AssignEndpoints();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var starts = _resources.Where(r => r is PostgresServerResource or ProjectResource)
            .Select(r => StartWhenReadyAsync(r, failed))
            .ToList();
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            // The first real failure, not the cancellations it caused in the others.
            var failure = starts.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(e => e is AppHostException);
            if (failure is not null)
            {
                throw failure;
            }

            throw;
        }
    }

    /// <summary>Stops every instance, dependents first (the emitter before the gateway before the api before PostgreSQL).</summary>
    public async Task StopAsync()
    {
        foreach (var resource in _resources.Reverse())
        {
            if (_projects.TryGetValue(resource.Name, out var replicas))
            {
                await Task.WhenAll(replicas.Select(r => r.StopAsync()));
            }
            else if (_postgres.TryGetValue(resource.Name, out var postgres))
            {
                await postgres.StopAsync();
            }
        }

        _stateFile.Delete();
    }

    public Task StartInstanceAsync(string instanceName)
    {
        Replica(instanceName).Start();
        return Task.CompletedTask;
    }

    public Task StopInstanceAsync(string instanceName) => Replica(instanceName).StopAsync();

    public async Task RestartInstanceAsync(string instanceName)
    {
        var replica = Replica(instanceName);
        await replica.StopAsync();
        replica.Instance.Restarts++;
        replica.Start();
    }

    /// <summary>SIGKILL one replica (tests use it to show what a crash does to the rest).</summary>
    public Task KillInstanceAsync(string instanceName) => Replica(instanceName).KillAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _healthClient.Dispose();
    }

    private ProjectReplica Replica(string instanceName) =>
        _projects.Values.SelectMany(r => r).FirstOrDefault(r => r.Instance.Name == instanceName)
        ?? throw new KeyNotFoundException($"No project instance named '{instanceName}'.");

    private void AssignEndpoints()
    {
        foreach (var (name, replicas) in _projects)
        {
            var resource = (ProjectResource)_resources.First(r => r.Name == name);
            resource.Addresses.Clear();
            resource.H2cAddresses.Clear();
            if (resource.HttpEndpoint is not { } endpoint)
            {
                continue;
            }

            if (endpoint.Port is { } port && !_options.RandomizePorts)
            {
                if (replicas.Count > 1)
                {
                    throw new AppHostException($"'{name}' has {replicas.Count} replicas on the fixed port {port}: give it one replica or no fixed port.");
                }

                EnsurePortIsFree(port, $"{name}'s port");
                resource.Addresses.Add(new Uri($"http://localhost:{port}"));
            }
            else
            {
                resource.Addresses.AddRange(replicas.Select(_ => new Uri($"http://127.0.0.1:{LocalPostgresServer.FreeTcpPort()}")));
            }

            if (resource.HasH2cEndpoint)
            {
                resource.H2cAddresses.AddRange(replicas.Select(_ => new Uri($"http://127.0.0.1:{LocalPostgresServer.FreeTcpPort()}")));
            }

            for (var i = 0; i < replicas.Count; i++)
            {
                replicas[i].Instance.Endpoint = resource.Addresses[i];
                replicas[i].Instance.H2cEndpoint = resource.H2cAddresses.ElementAtOrDefault(i);
            }
        }
    }

    /// <summary>Fails with the fix when a fixed port is taken, instead of a child dying on it later.</summary>
    public static void EnsurePortIsFree(int port, string usedFor)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
        }
        catch (SocketException)
        {
            throw new AppHostException(
                $"Port {port} ({usedFor}) is already in use: stop the program listening on it (`ss -ltnp 'sport = :{port}'` shows which), then run again.");
        }
    }

    private async Task StartWhenReadyAsync(IResource resource, CancellationTokenSource failed)
    {
        var cancellationToken = failed.Token;
        try
        {
            if (_postgres.TryGetValue(resource.Name, out var postgres))
            {
                await postgres.StartAsync(cancellationToken);
                if (postgres.Choice is { } choice)
                {
                    Announced?.Invoke(choice);
                }

                return;
            }

            var project = (ProjectResource)resource;
            var replicas = _projects[project.Name];
            if (project.WaitsFor.Count > 0)
            {
                replicas.ForEach(r => r.Instance.Set(ResourceState.Waiting));
                foreach (var dependency in project.WaitsFor)
                {
                    await Task.WhenAll(InstancesOf(dependency.Name).Select(i => i.WaitUntilAsync(d => d.IsReady, cancellationToken)));
                }
            }

            foreach (var replica in replicas)
            {
                replica.Start();
            }

            await Task.WhenAll(replicas.Select(r => WaitUntilUpAsync(r.Instance, cancellationToken)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await failed.CancelAsync();
            throw;
        }
    }

    private async Task WaitUntilUpAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        try
        {
            await instance.WaitUntilAsync(i => i.IsReady || i.State is ResourceState.FailedToStart or ResourceState.Exited, cancellationToken)
                .WaitAsync(_options.StartupTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new AppHostException(
                $"{instance.Name} did not become healthy within {_options.StartupTimeoutSeconds} s ({instance.Detail ?? instance.State.ToString()}); its last lines:",
                LastMeaningfulLines(instance));
        }

        if (!instance.IsReady)
        {
            throw new AppHostException(
                $"{instance.Name} {instance.Detail ?? $"exited with code {instance.ExitCode}"} during startup; its last lines:",
                LastMeaningfulLines(instance));
        }
    }

    /// <summary>The child's last lines without stack frames, which would push the actual error off the screen.</summary>
    private static IReadOnlyList<string> LastMeaningfulLines(ResourceInstance instance) =>
        [.. instance.Log.Tail(200)
            .Where(l => !l.StartsWith("[apphost]", StringComparison.Ordinal))
            .Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal) && !l.Contains("--- End of", StringComparison.Ordinal))
            .Select(l => l.Length > 400 ? l[..400] + "…" : l)
            .TakeLast(8)];
}
