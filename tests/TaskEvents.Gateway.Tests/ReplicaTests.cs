using System.Net;

namespace TaskEvents.Gateway.Tests;

/// <summary>Several Api replicas behind one gateway: discovered from configuration, balanced by live streams, and failed over.</summary>
public sealed class ReplicaTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Clients reconnect after 0.2 s rather than the default 1 s, as the Api's <c>retry:</c> tells them.</summary>
    private static readonly Dictionary<string, string?> FastReconnects = new() { ["Sse:ClientRetryInterval"] = "0.2" };

    [Fact]
    public async Task Every_configured_replica_is_a_destination()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        await using var first = await ApiHost.StartAsync(database);
        await using var second = await ApiHost.StartAsync(database);

        await using var gateway = await GatewayHost.StartAsync([first, second]);

        Assert.Equal(first.H2cAddress.Authority, new Uri(Replicas.Destination(gateway, first).Model.Config.Address).Authority);
        Assert.Equal(second.H2cAddress.Authority, new Uri(Replicas.Destination(gateway, second).Model.Config.Address).Authority);
    }

    [Fact]
    public async Task Streams_spread_over_the_replicas_by_how_many_each_holds()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        await using var first = await ApiHost.StartAsync(database);
        await using var second = await ApiHost.StartAsync(database);
        // Proxied streams, one upstream each (a shared stream would put all four on one).
        await using var gateway = await GatewayHost.StartAsync([first, second], GatewayHost.ProxyingEveryStream());
        using var client = gateway.CreateHttpClient();
        await client.CreateTaskAsync("spread");
        var streams = new List<SseWireReader>();
        try
        {
            // A short REST call between streams: round robin would put every stream on one replica; counting
            // requests in flight puts each stream where the fewest are open.
            for (var i = 0; i < 4; i++)
            {
                var stream = await SseWireReader.OpenAsync(client, "/sse/tasks/spread/events");
                Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
                streams.Add(stream);
                await client.GetJsonAsync("/api/tasks/spread");
            }

            await Poll.UntilAsync(async () => await Replicas.OpenStreamsAsync(first) == 2 && await Replicas.OpenStreamsAsync(second) == 2,
                Timeout, "two streams on each replica");
        }
        finally
        {
            streams.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Active_health_checks_take_a_stopped_replica_out()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        await using var survivor = await ApiHost.StartAsync(database);
        var stopped = await ApiHost.StartAsync(database);
        await using var gateway = await GatewayHost.StartAsync([stopped, survivor], new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:api:HealthCheck:Active:Interval"] = "00:00:00.250",
            ["ReverseProxy:Clusters:api:HealthCheck:Passive:Enabled"] = "false",
        });
        await Poll.UntilAsync(() => stopped.ReceivedRequests.Any(r => r.Path == "/alive"), Timeout, "the gateway probes /alive");

        await stopped.DisposeAsync();

        await Poll.UntilAsync(() => Replicas.IsActiveUnhealthy(gateway, stopped), Timeout, "the stopped replica is marked unhealthy");
        Assert.False(Replicas.IsActiveUnhealthy(gateway, survivor));
    }

    [Fact]
    public async Task With_every_replica_unreachable_requests_get_503_with_retry_after_not_502()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        var first = await ApiHost.StartAsync(database);
        var second = await ApiHost.StartAsync(database);
        await using var gateway = await GatewayHost.StartAsync([first, second], new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:api:HealthCheck:Active:Enabled"] = "false",
        });
        using var client = gateway.CreateHttpClient();
        await client.CreateTaskAsync("unreachable");

        // The whole Api tier stops (as when the whole system stops or starts): nothing listens at either address.
        await first.DisposeAsync();
        await second.DisposeAsync();

        using var append = await client.PostAsync("/api/tasks/unreachable/events",
            new StringContent("""{"event_type":"progress_update"}""", System.Text.Encoding.UTF8, "application/json"));
        using var read = await client.GetAsync("/api/tasks/unreachable/events");
        foreach (var response in (HttpResponseMessage[])[append, read])
        {
            await Problem.AssertAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        }
    }

    [Fact]
    public async Task Clients_of_a_killed_replica_resume_on_the_other_with_nothing_lost_or_repeated()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        await using var survivor = await ApiHost.StartAsync(database, FastReconnects);
        await using var victim = await ApiProcess.StartAsync(database, FastReconnects);

        await FailsOverAsync(victim, survivor, victim.KillAsync);
    }

    [Fact]
    public async Task Clients_of_a_stopped_replica_resume_on_the_other_with_nothing_lost_or_repeated()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        await using var survivor = await ApiHost.StartAsync(database, FastReconnects);
        await using var victim = await ApiHost.StartAsync(database, FastReconnects);

        await FailsOverAsync(victim, survivor, async () => await victim.DisposeAsync());
    }

    /// <summary>
    /// Four followers spread over two replicas; five events; <paramref name="stopVictim"/>; five more events and the end.
    /// Every follower must see all eleven events once, in order, and never be refused.
    /// </summary>
    private static async Task FailsOverAsync(IApiReplica victim, IApiReplica survivor, Func<Task> stopVictim)
    {
        // Health probes off: the first reconnects after the stop really go to the dead replica, as they would between two probes.
        // Proxied streams, one upstream each (FanOutTests has the shared stream's failover).
        await using var gateway = await GatewayHost.StartAsync([victim, survivor], GatewayHost.ProxyingEveryStream(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:api:HealthCheck:Active:Enabled"] = "false",
        }));
        using var producer = gateway.CreateHttpClient();
        await producer.CreateTaskAsync("failover");

        var clients = Enumerable.Range(0, 4).Select(_ => gateway.CreateHttpClient()).ToList();
        var followers = clients.Select(c => new SseFollower(c, "/sse/tasks/failover/events?batch_size=1")).ToList();
        using var timeout = new CancellationTokenSource(Timeout);
        var running = new List<Task>();
        foreach (var follower in followers)
        {
            running.Add(follower.RunAsync(timeout.Token));
            var expected = running.Count;
            await Poll.UntilAsync(async () => await Replicas.OpenStreamsAsync(victim) + await Replicas.OpenStreamsAsync(survivor) == expected,
                Timeout, $"{expected} streams open");
        }

        Assert.Equal(2, await Replicas.OpenStreamsAsync(victim));
        for (var i = 1; i <= 5; i++)
        {
            await producer.AppendAsync("failover", $"before.stop{i}");
        }

        await Poll.UntilAsync(() => followers.All(f => f.Seqs.Count == 5), Timeout, "every follower has the first five events");

        await stopVictim();

        // Each append goes to the replica taking appends (either one); each read goes where the fewest requests are in
        // flight: the stopped one, which holds no stream now. Every request it gets fails and is resent to the survivor.
        for (var i = 1; i <= 5; i++)
        {
            await producer.AppendAsync("failover", $"after.stop{i}");
            await producer.GetJsonAsync("/api/tasks/failover");
        }

        await producer.AppendAsync("failover", "task_completed");
        await Task.WhenAll(running).WaitAsync(timeout.Token);

        var everyEvent = Enumerable.Range(1, 11).Select(i => (long)i).ToList();
        Assert.All(followers, f => Assert.Equal(everyEvent, f.Seqs));
        Assert.All(followers, f => Assert.All(f.Attempts, status => Assert.Equal(HttpStatusCode.OK, status)));
        Assert.Equal(2, followers.Count(f => f.Attempts.Count > 1));
        await Poll.UntilAsync(() => Replicas.IsPassiveUnhealthy(gateway, victim), Timeout, "passive health marks the stopped replica unhealthy");
        clients.ForEach(c => c.Dispose());
    }
}
