using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace TaskEvents.Gateway.LoadBalancing;

/// <summary>
/// Sends every append to one Api replica, so one writer batches the whole tier's appends into fewer, larger commits
/// (two writers each commit half-size batches and wait on each other's task-row locks); every other request goes to
/// the replica with the fewest requests in flight, as YARP's LeastRequests does, so streams spread by how many each holds.
/// The replica taking appends is the available one first by destination id, so every gateway picks the same one; one
/// that has appends in flight and has answered none for <see cref="AppendRoutingOptions.StallSeconds"/> (frozen, cut
/// off) is passed over for <see cref="AppendRoutingOptions.PassOverSeconds"/>, and appends go to the next
/// (<see cref="AppendStallWatchMiddleware"/> also sends the appends stuck on it elsewhere).
/// </summary>
internal sealed class AppendsToOneReplicaPolicy(AppendTraffic traffic, IOptions<AppendRoutingOptions> options, TimeProvider time) : ILoadBalancingPolicy
{
    public const string PolicyName = "AppendsToOneReplica";

    public string Name => PolicyName;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        if (availableDestinations.Count == 0)
        {
            return null;
        }

        if (!IsAppend(context.Request))
        {
            return FewestRequests(availableDestinations);
        }

        return AppendReplica(availableDestinations, time.GetUtcNow().UtcTicks);
    }

    /// <summary>An append: a POST to <c>/api/tasks/{task_id}/events</c>, the only request the Api's writer stores.</summary>
    internal static bool IsAppend(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method) || !request.Path.StartsWithSegments("/api/tasks", out var rest))
        {
            return false;
        }

        var segments = rest.Value.AsSpan().Trim('/');
        var slash = segments.IndexOf('/');
        return slash > 0 && segments[(slash + 1)..].SequenceEqual("events");
    }

    /// <summary>The first destination by id that is not passed over; when all are, the one with the fewest appends in flight.</summary>
    private DestinationState AppendReplica(IReadOnlyList<DestinationState> destinations, long now)
    {
        DestinationState? first = null, leastLoaded = null;
        var leastInFlight = int.MaxValue;
        foreach (var destination in destinations)
        {
            var appends = traffic.Find(destination);
            var inFlight = appends?.InFlight ?? 0;
            if (inFlight < leastInFlight)
            {
                (leastLoaded, leastInFlight) = (destination, inFlight);
            }

            if (appends is not null && appends.IsPassedOver(now, options.Value.StallThreshold))
            {
                continue;
            }

            if (first is null || string.CompareOrdinal(destination.DestinationId, first.DestinationId) < 0)
            {
                first = destination;
            }
        }

        return first ?? leastLoaded!;
    }

    private static DestinationState FewestRequests(IReadOnlyList<DestinationState> destinations)
    {
        var chosen = destinations[0];
        for (var i = 1; i < destinations.Count; i++)
        {
            if (destinations[i].ConcurrentRequestCount < chosen.ConcurrentRequestCount)
            {
                chosen = destinations[i];
            }
        }

        return chosen;
    }
}
