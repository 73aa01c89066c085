using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Model;

namespace TaskEvents.Gateway.LoadBalancing;

/// <summary>
/// Every Api replica's appends as this gateway sees them: written by <see cref="AppendStallWatchMiddleware"/>, which
/// times each append, and read by <see cref="AppendsToOneReplicaPolicy"/>, which places them. A replica that goes away
/// takes its entry with it.
/// </summary>
internal sealed class AppendTraffic
{
    private readonly ConditionalWeakTable<DestinationState, ReplicaAppendTraffic> _replicas = new();

    public ReplicaAppendTraffic Of(DestinationState replica) => _replicas.GetValue(replica, _ => new ReplicaAppendTraffic());

    /// <summary>The replica's traffic, or null when it has never been given an append.</summary>
    public ReplicaAppendTraffic? Find(DestinationState replica) => _replicas.TryGetValue(replica, out var traffic) ? traffic : null;
}
