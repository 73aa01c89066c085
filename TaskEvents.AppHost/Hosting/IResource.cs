namespace TaskEvents.AppHost.Hosting;

/// <summary>Something the AppHost runs or provides, known by a unique name.</summary>
public interface IResource
{
    string Name { get; }
}
