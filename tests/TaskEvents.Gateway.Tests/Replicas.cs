using System.Text.Json;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace TaskEvents.Gateway.Tests;

/// <summary>What the replicas and the gateway's view of them say, for the replica tests.</summary>
internal static class Replicas
{
    /// <summary>Open streams on one replica, as its <c>/sse/health</c> reports them.</summary>
    public static async Task<int> OpenStreamsAsync(IApiReplica replica)
    {
        using var client = TestHttpClient.Create(replica.BaseAddress, null);
        var health = JsonElement.Parse(await client.GetStringAsync("/sse/health"));
        return health.GetProperty("active_connections").GetInt32();
    }

    /// <summary>The gateway's state of the destination at <paramref name="replica"/>.</summary>
    public static DestinationState Destination(GatewayHost gateway, IApiReplica replica)
    {
        Assert.True(gateway.GetService<IProxyStateLookup>().TryGetCluster("api", out var cluster));
        return Assert.Single(cluster.Destinations.Values, d => new Uri(d.Model.Config.Address).Authority == replica.H2cAddress.Authority);
    }

    public static bool IsActiveUnhealthy(GatewayHost gateway, IApiReplica replica) => Destination(gateway, replica).Health.Active == DestinationHealth.Unhealthy;

    public static bool IsPassiveUnhealthy(GatewayHost gateway, IApiReplica replica) => Destination(gateway, replica).Health.Passive == DestinationHealth.Unhealthy;
}
