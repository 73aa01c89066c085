using System.Text.Json;

namespace TaskEvents.Gateway.Tests;

/// <summary>
/// Appends go to one Api replica, so one writer batches the tier's appends; a replica that stops answering them is passed
/// over (AppendsToOneReplicaPolicy).
/// </summary>
public sealed class AppendRoutingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StallThreshold = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Every_append_goes_to_one_replica_whoever_sends_it()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        await using var first = await ApiHost.StartAsync(database);
        await using var second = await ApiHost.StartAsync(database);
        await using var gateway = await GatewayHost.StartAsync([first, second]);
        var producers = Enumerable.Range(0, 4).Select(_ => gateway.CreateHttpClient()).ToList();
        await producers[0].CreateTaskAsync("one-writer");

        // Concurrent appends from four clients: LeastRequests would spread them over both replicas.
        await Task.WhenAll(producers.SelectMany(p => Enumerable.Range(0, 10).Select(_ => p.AppendAsync("one-writer", "progress_update"))));

        var appendsReceived = new[] { first, second }.Select(api => api.ReceivedRequests.Count(r => r.Method == "POST" && r.Path.EndsWith("/events", StringComparison.Ordinal))).ToList();
        Assert.Contains(40, appendsReceived);
        Assert.Contains(0, appendsReceived);
        producers.ForEach(p => p.Dispose());
    }

    [Fact]
    public async Task Appends_go_to_the_other_replica_while_the_one_taking_them_is_frozen_and_come_back_after()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        await using var one = await ApiProcess.StartAsync(database);
        await using var other = await ApiProcess.StartAsync(database);
        await using var gateway = await GatewayHost.StartAsync([one, other], new Dictionary<string, string?>
        {
            // Neither health check may take the frozen replica out: the policy alone must pass it over.
            ["ReverseProxy:Clusters:api:HealthCheck:Active:Enabled"] = "false",
            ["AppendRouting:StallSeconds"] = StallThreshold.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var (appending, spare) = string.CompareOrdinal(Replicas.Destination(gateway, one).DestinationId, Replicas.Destination(gateway, other).DestinationId) < 0
            ? (one, other) : (other, one);
        using var stuckProducer = gateway.CreateHttpClient();
        using var producer = gateway.CreateHttpClient();
        await producer.CreateTaskAsync("frozen-writer");
        await producer.AppendAsync("frozen-writer", "progress_update");

        appending.Freeze();
        try
        {
            var stuck = stuckProducer.AppendAsync("frozen-writer", "progress_update");
            await Poll.UntilAsync(() => Replicas.Destination(gateway, appending).ConcurrentRequestCount == 1, Timeout, "an append in flight on the frozen replica");

            // The stall is defined by time: nothing is answered there for longer than the threshold.
            await Task.Delay(StallThreshold * 2);
            var whileFrozen = await producer.AppendAsync("frozen-writer", "progress_update").WaitAsync(Timeout);

            Assert.Equal(0, Replicas.Destination(gateway, spare).ConcurrentRequestCount);
            Assert.False(stuck.IsCompleted, "the frozen replica answered");
            Assert.Equal(2, whileFrozen.GetProperty("last_seq").GetInt64());
            appending.Thaw();
            Assert.Equal(3, (await stuck.WaitAsync(Timeout)).GetProperty("last_seq").GetInt64());
        }
        finally
        {
            appending.Thaw();
        }

        // Answered again: the thawed replica takes appends once more.
        var after = await producer.AppendAsync("frozen-writer", "progress_update");
        Assert.Equal(4, after.GetProperty("last_seq").GetInt64());
        var stored = await producer.GetJsonAsync("/api/tasks/frozen-writer/events");
        Assert.Equal([1L, 2, 3, 4], stored.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()));
    }
}
