using Microsoft.Extensions.Configuration;
using TaskEvents.AppHost.Testing;

namespace TaskEvents.AppHost.Hosting;

/// <summary>Collects the app model (resources and how they relate) and the AppHost's configuration.</summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<IResource> _resources = [];

    internal DistributedApplicationBuilder(string[] args)
    {
        Configuration = new ConfigurationManager();
        Configuration.SetBasePath(AppContext.BaseDirectory);
        Configuration.AddJsonFile("appsettings.json", optional: true);
        Configuration.AddEnvironmentVariables();
        Configuration.AddCommandLine(args);
    }

    public ConfigurationManager Configuration { get; }

    public IReadOnlyList<IResource> Resources => _resources;

    public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' is already in the app model.");
        }

        _resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }

    /// <summary>The application, ready to run. Under the test harness, hands the builder to the test instead.</summary>
    public DistributedApplication Build()
    {
        if (TestingHook.Current is { } hook)
        {
            hook.Capture(this);
        }

        return BuildCore();
    }

    internal DistributedApplication BuildCore() => new(this);
}
