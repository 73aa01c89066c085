namespace TaskEvents.AppHost.Hosting;

/// <summary>The one implementation of <see cref="IResourceBuilder{T}"/>.</summary>
internal sealed class ResourceBuilder<T>(T resource, DistributedApplicationBuilder applicationBuilder) : IResourceBuilder<T> where T : IResource
{
    public T Resource { get; } = resource;

    public DistributedApplicationBuilder ApplicationBuilder { get; } = applicationBuilder;
}
