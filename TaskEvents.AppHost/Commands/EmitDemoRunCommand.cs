using System.Diagnostics;
using System.Reflection;

namespace TaskEvents.AppHost.Commands;

/// <summary>
/// A dashboard command on the emitter: append one short, complete agent run to a new task through the gateway (the
/// emitter's own <c>emit</c> command, run to its end), and say which task to follow.
/// </summary>
public static class EmitDemoRunCommand
{
    public const string Name = "emit-demo-run";
    private const int Events = 60;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static IResourceBuilder<ProjectResource> WithEmitDemoRunCommand(this IResourceBuilder<ProjectResource> emitter, IResourceBuilder<ProjectResource> gateway)
    {
        var gatewayEndpoint = gateway.GetEndpoint("http");
        return emitter.WithCommand(Name, "Emit a demo run", async context =>
        {
            var taskId = $"demo-dashboard-{DateTime.UtcNow:HHmmss}-{Random.Shared.Next(1000):000}";
            var project = emitter.Resource.GetProjectMetadata().ProjectPath;
            var (exitCode, output) = await RunAsync(
                ["run", "--project", project, "--no-build", "--no-launch-profile", "--configuration", BuildConfiguration(), "--",
                 "emit", "--dev-token", "--gateway", gatewayEndpoint.Url, "--task", taskId, "--count", $"{Events}", "--rate", "20", "--complete"],
                context.CancellationToken);
            return exitCode == 0
                ? new ExecuteCommandResult { Success = true, Message = $"Emitted {Events} events into {taskId}: {gatewayEndpoint.Url}/api/tasks/{taskId}/events" }
                : new ExecuteCommandResult { Success = false, Message = $"emit exited with {exitCode}: {output.Trim().Split('\n')[^1]}" };
        }, new CommandOptions
        {
            Description = $"Appends a {Events}-event agent run to a new task through the gateway",
            IconName = "Play",
            UpdateState = context => context.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
        });
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // The run must not outlive the command that started it.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The services were built with the AppHost, in its configuration.</summary>
    private static string BuildConfiguration() =>
        typeof(EmitDemoRunCommand).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
}
