extern alias gateway;

using System.Net;
using System.Text.Json;
using StreamHubRegistry = gateway::TaskEvents.Gateway.FanOut.StreamHubRegistry;
using TaskEvents.Contracts;
using TaskEvents.ServiceDefaults.Authentication;

namespace TaskEvents.Gateway.Tests;

/// <summary>
/// The gateway's stream fan-out, at the wire: the subscribers of one task (one tenant, the same parameters) share one
/// upstream stream to an Api, each still gets every event once and in order from its own resume point, and the shared
/// stream outlives what ends an upstream (a replica killed or stopped, the token it reads with expiring) without a
/// client noticing. What it must not share: tenants, and permissions.
/// </summary>
public sealed class FanOutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const string Stream = "/sse/tasks/{0}/events?batch_size=1";

    [Fact]
    public async Task Subscribers_of_one_task_share_one_upstream_stream_and_each_gets_every_event_once()
    {
        await using var api = await ApiHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(api);
        using var client = gateway.CreateHttpClient();
        await client.CreateTaskAsync("shared");
        var streams = new List<SseWireReader>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                streams.Add(await SseWireReader.OpenAsync(client, Path("shared")));
            }

            Assert.Equal(1, await Replicas.OpenStreamsAsync(api));
            Assert.Equal((1, 3), Hubs(gateway));
            Assert.Contains("taskevents_gateway_shared_stream_subscribers", await client.GetStringAsync("/metrics"), StringComparison.Ordinal);
            await client.AppendAsync("shared", "step.a", "step.b", "step.c");
            await client.AppendAsync("shared", TerminalEventTypes.Completed);

            using var timeout = new CancellationTokenSource(Timeout);
            foreach (var stream in streams)
            {
                Assert.Equal([1L, 2L, 3L, 4L], Seqs(await stream.ReadEventsAsync(4, timeout.Token)));
                Assert.True((await stream.ReadDataFrameAsync(timeout.Token))?.IsEnd);
                Assert.Null(await stream.ReadFrameAsync(timeout.Token));
            }
        }
        finally
        {
            streams.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task A_subscriber_joins_the_shared_stream_at_its_own_resume_point()
    {
        await using var api = await ApiHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(api);
        using var client = gateway.CreateHttpClient();
        await client.CreateTaskAsync("joining");
        using var timeout = new CancellationTokenSource(Timeout);
        using var first = await SseWireReader.OpenAsync(client, Path("joining"));
        await client.AppendAsync("joining", "step.1", "step.2", "step.3", "step.4", "step.5");
        Assert.Equal([1L, 2L, 3L, 4L, 5L], Seqs(await first.ReadEventsAsync(5, timeout.Token)));

        using var second = await SseWireReader.OpenAsync(client, Path("joining"), lastEventId: "3");
        Assert.Equal([4L, 5L], Seqs(await second.ReadEventsAsync(2, timeout.Token)));
        await client.AppendAsync("joining", "step.6");

        Assert.Equal([6L], Seqs(await first.ReadEventsAsync(1, timeout.Token)));
        Assert.Equal([6L], Seqs(await second.ReadEventsAsync(1, timeout.Token)));
        Assert.Equal(1, await Replicas.OpenStreamsAsync(api));
    }

    [Fact]
    public async Task A_resume_point_the_shared_stream_does_not_hold_is_served_on_a_stream_of_its_own()
    {
        await using var api = await ApiHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(api);
        using var client = gateway.CreateHttpClient();
        await client.CreateTaskAsync("behind");
        await client.AppendAsync("behind", "step.1", "step.2", "step.3");
        using var timeout = new CancellationTokenSource(Timeout);

        // The shared stream starts after seq 3: seqs 1-3 were never in it.
        using var live = await SseWireReader.OpenAsync(client, Path("behind") + "&since_seq=3");
        using var catchingUp = await SseWireReader.OpenAsync(client, Path("behind") + "&since_seq=0");
        Assert.Equal(2, await Replicas.OpenStreamsAsync(api));
        Assert.Equal((1, 1), Hubs(gateway));
        Assert.Equal([1L, 2L, 3L], Seqs(await catchingUp.ReadEventsAsync(3, timeout.Token)));

        await client.AppendAsync("behind", "step.4");
        Assert.Equal([4L], Seqs(await live.ReadEventsAsync(1, timeout.Token)));
        Assert.Equal([4L], Seqs(await catchingUp.ReadEventsAsync(1, timeout.Token)));
    }

    [Fact]
    public async Task Two_tenants_never_share_a_stream_of_the_same_task_id()
    {
        await using var api = await ApiHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(api);
        using var alpha = gateway.CreateHttpClient(TestTokens.Create(tenant: "alpha"));
        using var beta = gateway.CreateHttpClient(TestTokens.Create(tenant: "beta"));
        await alpha.CreateTaskAsync("same");
        await beta.CreateTaskAsync("same");
        using var alphaStream = await SseWireReader.OpenAsync(alpha, Path("same"));
        using var betaStream = await SseWireReader.OpenAsync(beta, Path("same"));

        await alpha.AppendAsync("same", "alpha.only");
        await beta.AppendAsync("same", "beta.only");

        using var timeout = new CancellationTokenSource(Timeout);
        Assert.Equal("alpha.only", (await alphaStream.ReadEventsAsync(1, timeout.Token))[0].GetProperty("event_type").GetString());
        Assert.Equal("beta.only", (await betaStream.ReadEventsAsync(1, timeout.Token))[0].GetProperty("event_type").GetString());
        Assert.Equal(2, await Replicas.OpenStreamsAsync(api));
        Assert.Equal((2, 2), Hubs(gateway));
    }

    [Fact]
    public async Task A_token_without_the_read_scope_is_refused_while_the_task_has_a_shared_stream()
    {
        await using var api = await ApiHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(api);
        using var reader = gateway.CreateHttpClient();
        await reader.CreateTaskAsync("guarded");
        using var shared = await SseWireReader.OpenAsync(reader, Path("guarded"));
        using var writerOnly = gateway.CreateHttpClient(TestTokens.Create(scope: EventScopes.Write));

        using var refused = await writerOnly.GetAsync(Path("guarded"), HttpCompletionOption.ResponseHeadersRead);

        await Problem.AssertAsync(refused, HttpStatusCode.Forbidden);
        Assert.Equal((1, 1), Hubs(gateway));
    }

    [Fact]
    public async Task The_shared_stream_outlives_its_replica_being_killed_with_nothing_lost_or_repeated_and_no_client_reconnecting()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        await using var first = await ApiProcess.StartAsync(database);
        await using var second = await ApiProcess.StartAsync(database);
        await using var gateway = await GatewayHost.StartAsync([first, second]);
        using var producer = gateway.CreateHttpClient();
        await producer.CreateTaskAsync("outlives");

        var clients = Enumerable.Range(0, 3).Select(_ => gateway.CreateHttpClient()).ToList();
        var followers = clients.Select(c => new SseFollower(c, Path("outlives"))).ToList();
        using var timeout = new CancellationTokenSource(Timeout);
        var running = followers.Select(f => f.RunAsync(timeout.Token)).ToList();
        await producer.AppendAsync("outlives", "before.kill");
        await Task.WhenAll(followers.Select(f => f.FirstEvent)).WaitAsync(timeout.Token);

        var holder = await Replicas.OpenStreamsAsync(first) == 1 ? first : second;
        Assert.Equal(1, await Replicas.OpenStreamsAsync(first) + await Replicas.OpenStreamsAsync(second));
        await holder.KillAsync();
        for (var i = 1; i <= 5; i++)
        {
            await producer.AppendAsync("outlives", $"after.kill{i}");
        }

        await producer.AppendAsync("outlives", TerminalEventTypes.Completed);
        await Task.WhenAll(running).WaitAsync(timeout.Token);

        var everyEvent = Enumerable.Range(1, 7).Select(i => (long)i).ToList();
        Assert.All(followers, f => Assert.Equal(everyEvent, f.Seqs));
        Assert.All(followers, f => Assert.Equal([HttpStatusCode.OK], f.Attempts));
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task A_shared_stream_on_a_frozen_replica_moves_to_the_other_once_the_replica_fails_its_health_check()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        await using var first = await ApiProcess.StartAsync(database);
        await using var second = await ApiProcess.StartAsync(database);
        await using var gateway = await GatewayHost.StartAsync([first, second], new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:api:HealthCheck:Active:Interval"] = "00:00:01",
            ["ReverseProxy:Clusters:api:HealthCheck:Active:Timeout"] = "00:00:01",
        });
        using var producer = gateway.CreateHttpClient();
        await producer.CreateTaskAsync("frozen");
        using var client = gateway.CreateHttpClient();
        using var stream = await SseWireReader.OpenAsync(client, Path("frozen"));
        await producer.AppendAsync("frozen", "before.freeze");
        using var timeout = new CancellationTokenSource(Timeout);
        Assert.Equal([1L], Seqs(await stream.ReadEventsAsync(1, timeout.Token)));

        var (holder, other) = await Replicas.OpenStreamsAsync(first) == 1 ? (first, second) : (second, first);
        holder.Freeze();
        try
        {
            // With an event_id, so it is resent to the other replica if it went to the frozen one first.
            await producer.PostJsonAsync("/api/tasks/frozen/events", new { event_type = "while.frozen", event_id = "while-frozen" }, HttpStatusCode.Created);

            // Read on the same response while the replica is still frozen (the activity timeout is minutes): the shared
            // stream moved to the other replica, and the client never noticed.
            Assert.Equal([2L], Seqs(await stream.ReadEventsAsync(1, timeout.Token)));
            Assert.Equal(1, await Replicas.OpenStreamsAsync(other));
        }
        finally
        {
            holder.Thaw();
        }
    }

    [Fact]
    public async Task A_stopping_replica_hands_the_shared_stream_to_the_other_without_a_client_noticing()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        await using var first = await ApiHost.StartAsync(database);
        await using var second = await ApiHost.StartAsync(database);
        await using var gateway = await GatewayHost.StartAsync([first, second]);
        using var client = gateway.CreateHttpClient();
        await client.CreateTaskAsync("handed");
        using var stream = await SseWireReader.OpenAsync(client, Path("handed"));
        await client.AppendAsync("handed", "before.stop");
        using var timeout = new CancellationTokenSource(Timeout);
        Assert.Equal([1L], Seqs(await stream.ReadEventsAsync(1, timeout.Token)));

        var (holder, other) = await Replicas.OpenStreamsAsync(first) == 1 ? (first, second) : (second, first);
        await holder.DisposeAsync();
        await client.AppendAsync("handed", "after.stop");

        // The Api's reconnect went to the gateway, not to the client: the next frame is the next event.
        Assert.Equal([2L], Seqs(await stream.ReadEventsAsync(1, timeout.Token)));
        Assert.Equal(1, await Replicas.OpenStreamsAsync(other));
        Assert.Contains(other.ReceivedRequests, r => r.Path == "/sse/tasks/handed/events" && r.Header("Last-Event-ID") == "1");
    }

    [Fact]
    public async Task When_the_token_the_shared_stream_reads_with_expires_it_reads_on_with_another_subscribers()
    {
        await using var api = await ApiHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(api);
        using var producer = gateway.CreateHttpClient();
        await producer.CreateTaskAsync("handover");
        var shortToken = TestTokens.ValidFor(TimeSpan.FromSeconds(4));
        using var shortLived = gateway.CreateHttpClient(shortToken);
        var longToken = TestTokens.Create();
        using var longLived = gateway.CreateHttpClient(longToken);
        using var timeout = new CancellationTokenSource(Timeout);

        // The first subscriber opens the shared stream: it reads with the short token.
        using var expiring = await SseWireReader.OpenAsync(shortLived, Path("handover"));
        using var staying = await SseWireReader.OpenAsync(longLived, Path("handover"));
        await producer.AppendAsync("handover", "before.expiry");
        Assert.Equal([1L], Seqs(await expiring.ReadEventsAsync(1, timeout.Token)));

        var goodbye = JsonElement.Parse((await expiring.ReadDataFrameAsync(timeout.Token))!.Data!);
        Assert.Equal(ReconnectReasons.TokenExpired, goodbye.GetProperty("reason").GetString());
        Assert.Equal(1, goodbye.GetProperty("last_seq").GetInt64());
        await producer.AppendAsync("handover", "after.expiry");

        // No control message and no gap for the subscriber whose token is valid.
        var frames = new List<SseFrame>();
        while (frames.Count(f => f.Id is not null) < 2)
        {
            frames.Add((await staying.ReadFrameAsync(timeout.Token))!);
        }

        Assert.Equal(["1", "2"], frames.Where(f => f.Data is not null).Select(f => f.Id));
        Assert.Equal(1, await Replicas.OpenStreamsAsync(api));
        Assert.Contains(api.ReceivedRequests, r => r.Path == "/sse/tasks/handover/events" && r.Header("Authorization") == $"Bearer {longToken}" && r.Header("Last-Event-ID") == "1");
    }

    [Fact]
    public async Task A_subscriber_is_asked_to_reconnect_at_the_gateways_event_limit()
    {
        await using var api = await ApiHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(api, new Dictionary<string, string?> { ["StreamFanOut:MaxEventsPerStream"] = "3" });
        using var client = gateway.CreateHttpClient();
        await client.CreateTaskAsync("limited");
        using var stream = await SseWireReader.OpenAsync(client, Path("limited"));
        await client.AppendAsync("limited", "step.1", "step.2", "step.3", "step.4");
        using var timeout = new CancellationTokenSource(Timeout);

        Assert.Equal([1L, 2L, 3L], Seqs(await stream.ReadEventsAsync(3, timeout.Token)));
        var goodbye = JsonElement.Parse((await stream.ReadDataFrameAsync(timeout.Token))!.Data!);

        Assert.Equal(ReconnectReasons.EventLimitReached, goodbye.GetProperty("reason").GetString());
        Assert.Equal(3, goodbye.GetProperty("last_seq").GetInt64());
        Assert.Null(await stream.ReadFrameAsync(timeout.Token));
    }

    /// <summary>The gateway's shared streams and their subscribers (what its meter reports, read from this gateway alone).</summary>
    private static (int Hubs, int Subscribers) Hubs(GatewayHost gateway) => gateway.GetService<StreamHubRegistry>().Snapshot();

    private static string Path(string taskId) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Stream, taskId);

    private static List<long> Seqs(List<JsonElement> events) => [.. events.Select(e => e.GetProperty("seq").GetInt64())];
}
