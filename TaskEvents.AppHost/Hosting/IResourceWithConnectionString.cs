namespace TaskEvents.AppHost.Hosting;

/// <summary>A resource others reach with a connection string (<c>ConnectionStrings__&lt;name&gt;</c>), known once it runs.</summary>
public interface IResourceWithConnectionString : IResource
{
    string? GetConnectionString();
}
