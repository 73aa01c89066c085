using System.Net;
using Yarp.ReverseProxy.Model;

namespace TaskEvents.Gateway.LoadBalancing;

/// <summary>
/// Asks a replica whether its process answers at all: its liveness path (the cluster's active health check path,
/// <c>/alive</c>, which needs no database), over the cluster's own client and protocol. An append that waits on a slow
/// database is slow, not stalled: the replica still answers this. A frozen or cut-off one does not.
/// </summary>
internal sealed class ReplicaLivenessProbe
{
    private const string DefaultPath = "/alive";

    public async Task<bool> AnswersAsync(ClusterModel cluster, DestinationState replica, TimeSpan timeout)
    {
        var address = new Uri(replica.Model.Config.Health ?? replica.Model.Config.Address);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, cluster.Config.HealthCheck?.Active?.Path ?? DefaultPath))
        {
            Version = cluster.Config.HttpRequest?.Version ?? HttpVersion.Version20,
            VersionPolicy = cluster.Config.HttpRequest?.VersionPolicy ?? HttpVersionPolicy.RequestVersionOrLower,
        };
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            using var response = await cluster.HttpClient.SendAsync(request, deadline.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }
}
