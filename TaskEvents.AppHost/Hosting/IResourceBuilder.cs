namespace TaskEvents.AppHost.Hosting;

/// <summary>The fluent handle <c>Add…</c> returns: the resource being described and the builder it belongs to.</summary>
public interface IResourceBuilder<out T> where T : IResource
{
    T Resource { get; }

    DistributedApplicationBuilder ApplicationBuilder { get; }
}
