using System.Globalization;
using TaskEvents.AppHost.Orchestration;

namespace TaskEvents.AppHost.Hosting;

/// <summary>What the AppHost prints: a few timestamped lines, the "Started" block with every address, one-line errors.</summary>
internal sealed class AppHostConsole(TextWriter output, TextWriter error)
{
    public void Info(string line) => output.WriteLine($"{Now()} {line}");

    public void Error(string message, IReadOnlyList<string> details)
    {
        error.WriteLine($"{Now()} error: {message}");
        foreach (var detail in details)
        {
            error.WriteLine($"    {detail}");
        }
    }

    public void Started(DistributedApplication app, TimeSpan elapsed)
    {
        output.WriteLine($"{Now()} Started in {elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s.");
        foreach (var resource in app.Orchestrator.Instances.GroupBy(i => i.ResourceName))
        {
            var endpoints = resource.Where(i => i.Endpoint is not null).Select(i => i.Endpoint!.ToString().TrimEnd('/')).ToList();
            var where = endpoints.Count > 0 ? string.Join(", ", endpoints) : resource.First().State.ToString().ToLowerInvariant();
            output.WriteLine($"    {resource.Key,-10} {where}{DemoPage(resource.First())}");
        }

        if (app.DashboardLoginUrl is { } login)
        {
            output.WriteLine($"    {"dashboard",-10} {login}");
        }

        output.WriteLine("Press Ctrl+C to stop everything.");
    }

    /// <summary>The seed's demo page, when the gateway serves it.</summary>
    private static string DemoPage(ResourceInstance instance) =>
        instance.ResourceName == "gateway" && instance.Endpoint is { } endpoint
            && File.Exists(Path.Combine(ServiceProjects.Gateway.ProjectDirectory, "wwwroot", "demo_sse_streaming.html"))
            ? $"   demo page: {new Uri(endpoint, "/demo_sse_streaming.html")}"
            : "";

    private static string Now() => DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
