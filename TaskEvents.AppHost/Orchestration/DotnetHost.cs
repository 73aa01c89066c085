namespace TaskEvents.AppHost.Orchestration;

/// <summary>The <c>dotnet</c> executable, for a service built without a native launcher.</summary>
internal static class DotnetHost
{
    public static string Path { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(System.IO.Path.Combine(root, "dotnet")) ? System.IO.Path.Combine(root, "dotnet")
        : "dotnet";
}
