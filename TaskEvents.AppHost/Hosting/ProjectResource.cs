namespace TaskEvents.AppHost.Hosting;

/// <summary>A .NET project run as one or more child processes (replicas) with Aspire's environment contract.</summary>
public sealed class ProjectResource(string name, ServiceProject project) : IResource
{
    public string Name { get; } = name;

    public ServiceProject Project { get; } = project;

    public int Replicas { get; set; } = 1;

    public EndpointAnnotation? HttpEndpoint { get; set; }

    /// <summary>Whether each replica also listens for HTTP/2 without TLS (h2c) on a port of its own, for other services.</summary>
    public bool HasH2cEndpoint { get; set; }

    /// <summary>Path polled for health (200 = healthy); null: the resource is Running once its process is.</summary>
    public string? HealthCheckPath { get; set; }

    public List<string> Args { get; } = [];

    /// <summary>Fill in environment values when a replica starts (references resolve only then).</summary>
    public List<Action<IDictionary<string, string?>>> EnvironmentCallbacks { get; } = [];

    public List<IResource> WaitsFor { get; } = [];

    /// <summary>The address of each replica's endpoint, assigned before anything starts.</summary>
    internal List<Uri> Addresses { get; } = [];

    /// <summary>The address of each replica's h2c endpoint, when it has one.</summary>
    internal List<Uri> H2cAddresses { get; } = [];
}
