using System.Reflection;

namespace TaskEvents.AppHost.Hosting;

/// <summary>
/// The services the AppHost builds (its ProjectReferences), read from the assembly metadata the build records
/// (<c>project:&lt;name&gt;</c>), so children start from their own output folders.
/// </summary>
public static class ServiceProjects
{
    public static ServiceProject Api => Get("TaskEvents.Api");

    public static ServiceProject Gateway => Get("TaskEvents.Gateway");

    public static ServiceProject Emitter => Get("TaskEvents.Emitter");

    public static ServiceProject Get(string projectName)
    {
        var metadata = typeof(ServiceProjects).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToList();
        var assembly = metadata.FirstOrDefault(m => m.Key == $"project:{projectName}")?.Value
            ?? throw new InvalidOperationException($"The AppHost was built without a ProjectReference to {projectName}.");
        var directory = metadata.FirstOrDefault(m => m.Key == $"projectdir:{projectName}")?.Value ?? Path.GetDirectoryName(assembly)!;
        return new ServiceProject(projectName, assembly, directory);
    }
}
