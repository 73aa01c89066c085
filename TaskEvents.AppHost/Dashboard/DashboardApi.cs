using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using TaskEvents.AppHost.Orchestration;

namespace TaskEvents.AppHost.Dashboard;

/// <summary>The dashboard's API: resources (JSON and live SSE), details, console logs (SSE), actions, channel metrics.</summary>
internal static class DashboardApi
{
    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/resources", (ResourceOrchestrator o) => o.Instances.Select(ResourceSnapshot.Of));
        api.MapGet("/resources/stream", (ResourceOrchestrator o, CancellationToken ct) =>
            TypedResults.ServerSentEvents(ResourceUpdatesAsync(o, ct), eventType: "resources"));
        api.MapGet("/resources/{name}", GetDetails);
        api.MapGet("/resources/{name}/logs", FollowLogs);
        foreach (var action in (string[])["start", "stop", "restart"])
        {
            api.MapPost($"/resources/{{name}}/{action}", (string name, HttpRequest request, ResourceOrchestrator orchestrator) =>
                RunActionAsync(name, action, request, orchestrator));
        }

        api.MapGet("/metrics", (MetricsSampler sampler) => sampler.Samples);
        return app;
    }

    private static Results<Ok<object>, NotFound> GetDetails(string name, ResourceOrchestrator orchestrator)
    {
        if (orchestrator.Find(name) is not { } instance)
        {
            return TypedResults.NotFound();
        }

        var environment = instance.Environment.Select(e => new { name = e.Key, value = SecretMask.Apply(e.Key, e.Value) });
        return TypedResults.Ok<object>(new { resource = ResourceSnapshot.Of(instance), environment });
    }

    private static Results<ServerSentEventsResult<LogLine>, NotFound> FollowLogs(string name, ResourceOrchestrator orchestrator, CancellationToken cancellationToken) =>
        orchestrator.Find(name) is { } instance
            ? TypedResults.ServerSentEvents(instance.Log.FollowAsync(cancellationToken), eventType: "log")
            : TypedResults.NotFound();

    private static async Task<Results<Accepted, NotFound, BadRequest<string>>> RunActionAsync(
        string name, string action, HttpRequest request, ResourceOrchestrator orchestrator)
    {
        // A cross-site form cannot set this header; the cookie alone is not enough to act.
        if (request.Headers["X-Dashboard-Action"] != "1")
        {
            return TypedResults.BadRequest("Send X-Dashboard-Action: 1.");
        }

        if (orchestrator.Find(name) is not { Kind: "Project" })
        {
            return TypedResults.NotFound();
        }

        // Actions run in the background: a stop waits for the process, the page follows along live.
        _ = action switch
        {
            "start" => orchestrator.StartInstanceAsync(name),
            "stop" => orchestrator.StopInstanceAsync(name),
            _ => orchestrator.RestartInstanceAsync(name),
        };
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>The full list now, then again after each change (at most every 250 ms) and every 5 s for the uptimes.</summary>
    private static async IAsyncEnumerable<IEnumerable<ResourceSnapshot>> ResourceUpdatesAsync(
        ResourceOrchestrator orchestrator, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        void OnChanged(ResourceInstance _) => changed.Writer.TryWrite(true);
        foreach (var instance in orchestrator.Instances)
        {
            instance.Changed += OnChanged;
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                yield return [.. orchestrator.Instances.Select(ResourceSnapshot.Of)];
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(TimeSpan.FromSeconds(5));
                try
                {
                    await changed.Reader.ReadAsync(wait.Token);
                    await Task.Delay(250, cancellationToken);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Nothing changed for 5 s: send the list anyway.
                }
            }
        }
        finally
        {
            foreach (var instance in orchestrator.Instances)
            {
                instance.Changed -= OnChanged;
            }
        }
    }
}
