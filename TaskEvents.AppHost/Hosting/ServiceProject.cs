namespace TaskEvents.AppHost.Hosting;

/// <summary>Where a service's build output is: the entry assembly to run and the project folder.</summary>
public sealed record ServiceProject(string Name, string AssemblyPath, string ProjectDirectory)
{
    /// <summary>The native launcher next to the assembly (what <c>dotnet run</c> starts), when the build made one.</summary>
    public string? Launcher => Path.ChangeExtension(AssemblyPath, null) is var launcher && File.Exists(launcher) ? launcher : null;
}
