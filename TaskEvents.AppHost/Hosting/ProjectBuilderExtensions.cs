using Microsoft.Extensions.Configuration;

namespace TaskEvents.AppHost.Hosting;

/// <summary>The fluent vocabulary of project resources: replicas, endpoints, health, references, waits.</summary>
public static class ProjectBuilderExtensions
{
    public static IResourceBuilder<ProjectResource> AddProject(this DistributedApplicationBuilder builder, string name, ServiceProject project) =>
        builder.AddResource(new ProjectResource(name, project));

    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }

    /// <summary>An HTTP endpoint: on <paramref name="port"/> when given (the address others and people use), else a free port per replica.</summary>
    public static IResourceBuilder<ProjectResource> WithHttpEndpoint(this IResourceBuilder<ProjectResource> builder, int? port = null)
    {
        builder.Resource.HttpEndpoint = new EndpointAnnotation(port);
        return builder;
    }

    /// <summary>
    /// A second endpoint per replica that speaks only HTTP/2 without TLS (h2c, prior knowledge), referenced as
    /// <c>services__&lt;name&gt;__h2c__&lt;i&gt;</c>: a proxy multiplexes many streams over one connection there
    /// instead of holding a socket per stream. Kestrel cannot offer h2c on an endpoint that also speaks HTTP/1.1.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithH2cEndpoint(this IResourceBuilder<ProjectResource> builder)
    {
        builder.Resource.HasH2cEndpoint = true;
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithHttpHealthCheck(this IResourceBuilder<ProjectResource> builder, string path)
    {
        builder.Resource.HealthCheckPath = path;
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithArgs(this IResourceBuilder<ProjectResource> builder, params string[] args)
    {
        builder.Resource.Args.AddRange(args);
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> builder, string name, string? value)
    {
        builder.Resource.EnvironmentCallbacks.Add(environment => environment[name] = value);
        return builder;
    }

    /// <summary>
    /// Passes the AppHost's configuration section <paramref name="sectionName"/> (e.g. <c>--Sse:BatchSize=1</c> on its command
    /// line, or <c>Sse__BatchSize</c> in its environment) to every replica as <c>Section__Key</c> variables.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithConfigurationSection(
        this IResourceBuilder<ProjectResource> builder, IConfiguration configuration, string sectionName)
    {
        builder.Resource.EnvironmentCallbacks.Add(environment =>
        {
            foreach (var (key, value) in configuration.GetSection(sectionName).AsEnumerable())
            {
                if (value is not null)
                {
                    environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
                }
            }
        });

        return builder;
    }

    /// <summary><c>ConnectionStrings__&lt;name&gt;</c> for a database.</summary>
    public static IResourceBuilder<ProjectResource> WithReference(
        this IResourceBuilder<ProjectResource> builder, IResourceBuilder<IResourceWithConnectionString> source)
    {
        var resource = source.Resource;
        builder.Resource.EnvironmentCallbacks.Add(environment => environment[$"ConnectionStrings__{resource.Name}"] = resource.GetConnectionString());
        return builder;
    }

    /// <summary>
    /// <c>services__&lt;name&gt;__http__&lt;i&gt;</c> (and <c>services__&lt;name&gt;__h2c__&lt;i&gt;</c> when it has that endpoint)
    /// for each replica of another project (service discovery).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReference(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ProjectResource> source)
    {
        var resource = source.Resource;
        if (resource.HttpEndpoint is null)
        {
            throw new InvalidOperationException($"'{builder.Resource.Name}' references '{resource.Name}', which has no HTTP endpoint.");
        }

        builder.Resource.EnvironmentCallbacks.Add(environment =>
        {
            for (var i = 0; i < resource.Addresses.Count; i++)
            {
                environment[$"services__{resource.Name}__http__{i}"] = resource.Addresses[i].ToString().TrimEnd('/');
            }

            for (var i = 0; i < resource.H2cAddresses.Count; i++)
            {
                environment[$"services__{resource.Name}__h2c__{i}"] = resource.H2cAddresses[i].ToString().TrimEnd('/');
            }
        });

        return builder;
    }

    /// <summary>Starts this resource only once <paramref name="dependency"/> is healthy (or running, when it has no health check).</summary>
    public static IResourceBuilder<ProjectResource> WaitFor<T>(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<T> dependency) where T : IResource
    {
        builder.Resource.WaitsFor.Add(dependency.Resource is PostgresDatabaseResource database ? database.Server : dependency.Resource);
        return builder;
    }
}
