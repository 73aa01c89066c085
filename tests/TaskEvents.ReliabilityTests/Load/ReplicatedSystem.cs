using System.Text.Json;

namespace TaskEvents.ReliabilityTests.Load;

/// <summary>
/// Api replicas as child processes (so they can be SIGKILLed or SIGTERMed) behind a real gateway, on one database:
/// the system as the AppHost runs it, with the finer control a fault needs (a gateway restarted on its port, the
/// Api's settings, the database server of the test's choosing).
/// </summary>
internal sealed class ReplicatedSystem : IAsyncDisposable
{
    /// <summary>Keepalives often enough that a silent stream is noticed within seconds (the subscribers' watchdogs use it).</summary>
    public static readonly TimeSpan KeepaliveInterval = TimeSpan.FromSeconds(2);

    private readonly IReadOnlyDictionary<string, string?> _gatewaySettings;

    private ReplicatedSystem(List<ApiProcess> apis, GatewayHost gateway, IReadOnlyDictionary<string, string?> gatewaySettings)
    {
        Apis = apis;
        Gateway = gateway;
        _gatewaySettings = gatewaySettings;
    }

    public IReadOnlyList<ApiProcess> Apis { get; }

    public GatewayHost Gateway { get; private set; }

    public Uri GatewayAddress => Gateway.BaseAddress;

    /// <param name="apiSettings">Override the Api's settings (e.g. <c>Sse:MaxPollInterval</c>).</param>
    /// <param name="defaultRateLimits">Keep the gateway's rate limits; otherwise they are raised out of the way of the load.</param>
    /// <param name="proxyEveryStream">Gateway fan-out off: every stream proxied on its own, so what the Api sends a stream is seen at the wire.</param>
    public static async Task<ReplicatedSystem> StartAsync(
        string connectionString, int replicas = 2, IReadOnlyDictionary<string, string?>? apiSettings = null, bool defaultRateLimits = false,
        bool proxyEveryStream = false)
    {
        var settings = new Dictionary<string, string?> { ["Sse:KeepaliveInterval"] = KeepaliveInterval.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (key, value) in apiSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var apis = await StartApisAsync(connectionString, replicas, settings);
        var gatewaySettings = defaultRateLimits
            ? new Dictionary<string, string?>()
            : new Dictionary<string, string?> { ["RateLimits:RequestsPerSecond"] = "10000", ["RateLimits:Burst"] = "10000" };
        if (proxyEveryStream)
        {
            gatewaySettings = GatewayHost.ProxyingEveryStream(gatewaySettings);
        }

        try
        {
            return new ReplicatedSystem(apis, await GatewayHost.StartAsync(apis, gatewaySettings), gatewaySettings);
        }
        catch
        {
            foreach (var api in apis)
            {
                await api.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Starts the replicas together; when one fails to start, the others are stopped before the failure is thrown.</summary>
    private static async Task<List<ApiProcess>> StartApisAsync(string connectionString, int replicas, Dictionary<string, string?> settings)
    {
        var starting = Enumerable.Range(0, replicas).Select(_ => ApiProcess.StartAsync(connectionString, settings)).ToList();
        try
        {
            return [.. await Task.WhenAll(starting)];
        }
        catch
        {
            foreach (var started in starting.Where(s => s.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Stops the gateway (every connection through it closes) and starts a new one on the same port.</summary>
    public async Task RestartGatewayAsync()
    {
        var port = Gateway.BaseAddress.Port;
        await Gateway.DisposeAsync();
        Gateway = await GatewayHost.StartAsync(Apis, _gatewaySettings, port: port);
    }

    /// <summary>An Api replica's <c>/sse/health</c>: its open streams and its LISTEN state.</summary>
    public static async Task<(int Streams, string Listener)> StreamHealthAsync(Uri api)
    {
        using var client = TestHttpClient.Create(api, null);
        var health = await client.GetJsonAsync("/sse/health");
        return (health.GetProperty("active_connections").GetInt32(), health.GetProperty("listener").GetString()!);
    }

    /// <summary>The replica holding the most streams (the first on a tie), and how many it holds.</summary>
    public async Task<(ApiProcess Replica, int Streams)> BusiestReplicaAsync()
    {
        var streams = await Task.WhenAll(Apis.Select(a => StreamHealthAsync(a.BaseAddress)));
        var busiest = Enumerable.Range(0, Apis.Count).MaxBy(i => streams[i].Streams);
        return (Apis[busiest], streams[busiest].Streams);
    }

    /// <summary>Whether every replica's change feed reports <paramref name="mode"/> (<c>listening</c>, <c>polling</c>).</summary>
    public async Task<bool> AllListenersAreAsync(string mode)
    {
        foreach (var api in Apis)
        {
            if ((await StreamHealthAsync(api.BaseAddress)).Listener != mode)
            {
                return false;
            }
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        foreach (var api in Apis)
        {
            await api.DisposeAsync();
        }
    }
}
