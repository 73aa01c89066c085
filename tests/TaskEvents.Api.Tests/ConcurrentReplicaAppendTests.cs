using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using TaskEvents.Api.Storage;

namespace TaskEvents.Api.Tests;

/// <summary>Two Api processes appending to the same tasks at once, each with its own writer, on one database.</summary>
public sealed class ConcurrentReplicaAppendTests : ApiTestBase
{
    private const int Tasks = 12;
    private const int ProducersPerReplica = 8;
    private const int AppendsPerProducer = 30;

    [Fact]
    public async Task Appends_to_many_tasks_from_two_replicas_never_deadlock_and_commit_in_seq_order()
    {
        await using var second = await ApiHost.StartAsync(Api.ConnectionString);
        var taskIds = Enumerable.Range(0, Tasks).Select(i => $"task-{i:D2}").ToList();
        foreach (var taskId in taskIds)
        {
            await Client.CreateTaskAsync(taskId);
        }

        var crossed = await CrossingBatchesBothCommitAsync(second, taskIds);

        using var producing = new CancellationTokenSource();
        var reader = WatchCommitOrderAsync(producing.Token);
        var acknowledged = await Task.WhenAll(new[] { Api, second }
            .SelectMany(replica => Enumerable.Range(0, ProducersPerReplica).Select(p => ProduceAsync(replica, $"{replica.BaseAddress.Port}-{p}", taskIds))));
        await producing.CancelAsync();
        var observations = await reader;

        // Every acknowledged event is stored once, at the seq its producer was told, each task's seqs dense from 1.
        var stored = await StoredSeqsAsync();
        var acknowledgedEvents = acknowledged.SelectMany(a => a).Concat(crossed).ToList();
        Assert.Equal(acknowledgedEvents.Count, stored.Count);
        Assert.All(acknowledgedEvents, a => Assert.Equal(a.Seq, stored[(a.TaskId, a.EventId)]));
        foreach (var task in stored.GroupBy(s => s.Key.TaskId))
        {
            Assert.Equal(Enumerable.Range(1, task.Count()).Select(i => (long)i), task.Select(s => s.Value).Order());
        }

        Assert.True(observations > 1, "The reader watched while the producers appended.");
    }

    /// <summary>
    /// One batch per replica over the same tasks, queued in opposite orders, made to take their locks at the same time:
    /// a transaction of the test's own holds the middle task until both writers wait on a lock. Locked in arrival order
    /// the two would deadlock (and PostgreSQL would fail one); locked in the database's key order one waits for the other.
    /// </summary>
    private async Task<List<(string TaskId, string EventId, long Seq)>> CrossingBatchesBothCommitAsync(ApiHost second, List<string> taskIds)
    {
        await using var blocker = new NpgsqlConnection(Api.ConnectionString);
        await blocker.OpenAsync(Within());
        await using var holding = await blocker.BeginTransactionAsync(Within());
        await using (var lockMiddle = new NpgsqlCommand($"SELECT 1 FROM tasks WHERE task_id = '{taskIds[Tasks / 2]}' FOR UPDATE", blocker, holding))
        {
            await lockMiddle.ExecuteNonQueryAsync(Within());
        }

        var crossing = new List<(string TaskId, Task<HttpResponseMessage> Append)>();
        using var firstClient = Api.CreateHttpClient();
        using var secondClient = second.CreateHttpClient();
        var firstWriter = Api.GetService<AppendWriter>();
        var secondWriter = second.GetService<AppendWriter>();
        using (firstWriter.HoldBatches())
        using (secondWriter.HoldBatches())
        {
            foreach (var (ascending, descending) in taskIds.Zip(Enumerable.Reverse(taskIds)))
            {
                crossing.Add((ascending, await firstWriter.QueueAsync(() => firstClient.PostAsJsonAsync($"/api/tasks/{ascending}/events", new { event_type = "step" }))));
                crossing.Add((descending, await secondWriter.QueueAsync(() => secondClient.PostAsJsonAsync($"/api/tasks/{descending}/events", new { event_type = "step" }))));
            }
        }

        await Poll.UntilAsync(async () => await SessionsWaitingOnLocksAsync() == 2, TimeSpan.FromSeconds(20), "both writers wait on a task lock");
        await holding.RollbackAsync(Within());
        var acknowledged = new List<(string, string, long)>();
        foreach (var (taskId, append) in crossing)
        {
            using var response = await append;
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
            var stored = JsonElement.Parse(body).GetProperty("events")[0];
            acknowledged.Add((taskId, stored.GetProperty("event_id").GetString()!, stored.GetProperty("seq").GetInt64()));
        }

        return acknowledged;
    }

    private async Task<long> SessionsWaitingOnLocksAsync()
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.OpenAsync(Within());
        await using var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return (long)(await waiting.ExecuteScalarAsync(Within()))!;
    }

    /// <summary>Appends 1–3 events at a time to tasks in a shuffled order; returns what each acknowledgement said.</summary>
    private static async Task<List<(string TaskId, string EventId, long Seq)>> ProduceAsync(ApiHost replica, string producer, List<string> taskIds)
    {
        using var client = replica.CreateHttpClient();
        var random = new Random(producer.GetHashCode(StringComparison.Ordinal));
        var acknowledged = new List<(string, string, long)>();
        for (var i = 0; i < AppendsPerProducer; i++)
        {
            var taskId = taskIds[random.Next(taskIds.Count)];
            var events = Enumerable.Range(0, random.Next(1, 4)).Select(e => new { event_id = $"{producer}-{i}-{e}", event_type = "step" }).ToArray();
            var response = await client.PostJsonAsync($"/api/tasks/{taskId}/events", new { events }, HttpStatusCode.Created);
            acknowledged.AddRange(response.GetProperty("events").EnumerateArray()
                .Select(e => (taskId, e.GetProperty("event_id").GetString()!, e.GetProperty("seq").GetInt64())));
        }

        return acknowledged;
    }

    /// <summary>
    /// Reads every task's events over and over while the producers run. A task whose highest visible seq is above its
    /// count of visible events shows seq N committed after a higher one: a reader that had seen the higher one would
    /// meet N later. Returns how many times it looked.
    /// </summary>
    private async Task<int> WatchCommitOrderAsync(CancellationToken producing)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.OpenAsync(Within());
        await using var look = new NpgsqlCommand("SELECT task_id, count(*), max(seq) FROM events GROUP BY task_id", connection);
        var observations = 0;
        while (!producing.IsCancellationRequested)
        {
            await using var rows = await look.ExecuteReaderAsync(Within());
            while (await rows.ReadAsync())
            {
                Assert.True(rows.GetInt64(1) == rows.GetInt64(2), $"{rows.GetString(0)}: {rows.GetInt64(1)} events visible, highest seq {rows.GetInt64(2)}.");
            }

            observations++;
        }

        return observations;
    }

    private async Task<Dictionary<(string TaskId, string EventId), long>> StoredSeqsAsync()
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.OpenAsync(Within());
        await using var all = new NpgsqlCommand("SELECT task_id, event_id, seq FROM events", connection);
        await using var rows = await all.ExecuteReaderAsync(Within());
        var stored = new Dictionary<(string, string), long>();
        while (await rows.ReadAsync())
        {
            stored.Add((rows.GetString(0), rows.GetString(1)), rows.GetInt64(2));
        }

        return stored;
    }
}
