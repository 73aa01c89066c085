using System.Diagnostics;
using TaskEvents.Api.Storage;

namespace TaskEvents.Api.Observability;

/// <summary>
/// The span of one <c>append_events</c> call (the batch's round trip and commit; the database call is its child). A batch
/// of one request continues that request's trace; a batch of several starts its own and links to each request, as
/// OpenTelemetry advises for batch processing, so no request's trace takes in the others'.
/// </summary>
public static class AppendBatchSpan
{
    public const string Name = "append_events";

    /// <summary>OpenTelemetry's default limit on links per span; a larger batch links its first requests.</summary>
    private const int MaxLinks = 128;

    public static Activity? Start(IReadOnlyList<AppendRequest> requests)
    {
        if (!ApiTracing.Source.HasListeners())
        {
            return null;
        }

        var tags = new ActivityTagsCollection
        {
            ["taskevents.append.requests"] = requests.Count,
            ["taskevents.append.events"] = requests.Sum(r => r.Events.Count),
        };
        if (requests.Count == 1)
        {
            // A default context (the request was not traced) leaves the writer's own context as the parent.
            return ApiTracing.Source.StartActivity(Name, ActivityKind.Internal, requests[0].TraceContext, tags);
        }

        var links = requests.Where(r => r.TraceContext != default).Take(MaxLinks).Select(r => new ActivityLink(r.TraceContext)).ToList();
        return ApiTracing.Source.StartActivity(Name, ActivityKind.Internal, parentContext: default, tags, links);
    }
}
