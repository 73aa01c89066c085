using System.Net;

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
    public async Task Appends_stuck_on_a_frozen_replica_are_resent_when_idempotent_504_otherwise_and_new_ones_go_to_the_other()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        await using var one = await ApiProcess.StartAsync(database);
        await using var other = await ApiProcess.StartAsync(database);
        await using var gateway = await StartGatewayAsync([one, other], activeHealthChecks: false);
        var (appending, spare) = string.CompareOrdinal(Replicas.Destination(gateway, one).DestinationId, Replicas.Destination(gateway, other).DestinationId) < 0
            ? (one, other) : (other, one);
        var producers = Enumerable.Range(0, 3).Select(_ => gateway.CreateHttpClient()).ToList();
        await producers[0].CreateTaskAsync("frozen-writer");
        await producers[0].AppendAsync("frozen-writer", "progress_update");

        appending.Freeze();
        try
        {
            // Both go to the frozen replica: it has answered every append so far.
            var withId = producers[1].PostJsonAsync("/api/tasks/frozen-writer/events", new { event_type = "progress_update", event_id = "stuck-with-id" }, HttpStatusCode.Created);
            var withoutId = producers[2].PostRawAsync("/api/tasks/frozen-writer/events", """{"event_type":"progress_update"}""");
            await Poll.UntilAsync(() => Replicas.Destination(gateway, appending).ConcurrentRequestCount == 2, Timeout, "two appends waiting on the frozen replica");

            // Answered while it is still frozen: the first by the other replica, the second with 504 (it may still be stored).
            var resent = await withId.WaitAsync(Timeout);
            using var unknown = await withoutId.WaitAsync(Timeout);
            Assert.Equal("stuck-with-id", resent.GetProperty("events")[0].GetProperty("event_id").GetString());
            await Problem.AssertAsync(unknown, HttpStatusCode.GatewayTimeout);

            // A new append goes straight to the other replica: the frozen one is passed over.
            await producers[0].PostJsonAsync("/api/tasks/frozen-writer/events", new { event_type = "progress_update", event_id = "while-frozen" }, HttpStatusCode.Created);
            Assert.Equal(0, Replicas.Destination(gateway, spare).ConcurrentRequestCount);
        }
        finally
        {
            appending.Thaw();
        }

        // Whatever the thawed replica does with the two cancelled appends, nothing is stored twice and seqs stay dense.
        await producers[0].PostJsonAsync("/api/tasks/frozen-writer/events", new { event_type = "progress_update", event_id = "stuck-with-id" }, HttpStatusCode.OK);
        var stored = (await producers[0].GetJsonAsync("/api/tasks/frozen-writer/events")).GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Single(stored, e => e.GetProperty("event_id").GetString() == "stuck-with-id");
        Assert.Single(stored, e => e.GetProperty("event_id").GetString() == "while-frozen");
        Assert.InRange(stored.Count, 3, 4);
        producers.ForEach(p => p.Dispose());
    }

    [Fact]
    public async Task An_append_slowed_by_the_database_waits_for_its_answer_instead_of_being_cancelled()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        await using var first = await ApiHost.StartAsync(database);
        await using var second = await ApiHost.StartAsync(database);
        await using var gateway = await StartGatewayAsync([first, second], activeHealthChecks: true);
        using var producer = gateway.CreateHttpClient();
        await producer.CreateTaskAsync("slow-database");
        await producer.AppendAsync("slow-database", "progress_update");

        // The database holds the task's row for another transaction: the append waits on it, well past the stall threshold.
        await using var blocker = new Npgsql.NpgsqlConnection(database);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockRow = new Npgsql.NpgsqlCommand("SELECT 1 FROM tasks WHERE task_id = 'slow-database' FOR UPDATE", blocker, transaction))
        {
            await lockRow.ExecuteScalarAsync();
        }

        // No event_id: cancelling it would cost a 504, so only a replica that does not answer its probe may cost that.
        var append = producer.PostRawAsync("/api/tasks/slow-database/events", """{"event_type":"progress_update"}""");
        await Task.Delay(StallThreshold * 4);
        Assert.False(append.IsCompleted, "the append did not wait for the database");
        await transaction.CommitAsync();

        using var answer = await append.WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        Assert.Equal(2, (await producer.GetJsonAsync("/api/tasks/slow-database")).GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task With_no_other_replica_answering_an_append_waits_on_a_frozen_one_instead_of_being_cancelled()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        await using var only = await ApiProcess.StartAsync(database);
        await using var gateway = await StartGatewayAsync([only], activeHealthChecks: false);
        using var producer = gateway.CreateHttpClient();
        await producer.CreateTaskAsync("alone");

        only.Freeze();
        Task<HttpResponseMessage> append;
        try
        {
            append = producer.PostRawAsync("/api/tasks/alone/events", """{"event_type":"progress_update"}""");
            await Poll.UntilAsync(() => Replicas.Destination(gateway, only).ConcurrentRequestCount == 1, Timeout, "the append waiting on the frozen replica");

            // Frozen for several stall thresholds: cancelling could only turn a late answer into a 504.
            await Task.Delay(StallThreshold * 4);
            Assert.False(append.IsCompleted, "the append was answered while its only replica was frozen");
        }
        finally
        {
            only.Thaw();
        }

        using var answer = await append.WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
    }

    /// <summary>
    /// A gateway with the test's stall threshold. Without active health checks, only the stall watch can notice a frozen
    /// replica (the /alive probes would take it out first).
    /// </summary>
    private static Task<GatewayHost> StartGatewayAsync(IApiReplica[] apis, bool activeHealthChecks) =>
        GatewayHost.StartAsync(apis, new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:api:HealthCheck:Active:Enabled"] = activeHealthChecks ? "true" : "false",
            ["AppendRouting:StallSeconds"] = StallThreshold.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
}
