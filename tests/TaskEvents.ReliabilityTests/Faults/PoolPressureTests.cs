using Npgsql;
using TaskEvents.ReliabilityTests.Load;

namespace TaskEvents.ReliabilityTests.Faults;

/// <summary>
/// Fault 8: hundreds of concurrent appenders against an Api with a small connection pool: the pool stays bounded,
/// refusals are 503 or 429 (never a 500), nothing deadlocks, and everything acknowledged is delivered.
/// </summary>
public sealed class PoolPressureTests(ITestOutputHelper output)
{
    private const int PoolSize = 10;

    /// <summary>Outside the pool: the LISTEN connection and the append writer's.</summary>
    private const int OwnConnections = 2;

    [Fact]
    public async Task Concurrent_appenders_get_their_events_stored_or_a_503_or_429_through_a_bounded_pool()
    {
        var appenders = Scale.Pick(100, 500);
        var eventsEach = Scale.Pick(5, 10);
        var database = await SharedPostgres.CreateDatabaseAsync();
        var pooled = new NpgsqlConnectionStringBuilder(database) { MaxPoolSize = PoolSize, Timeout = 3 }.ConnectionString;
        await using var system = await ReplicatedSystem.StartAsync(pooled, replicas: 1, defaultRateLimits: true);
        await using var load = await FaultLoad.StartAsync(
            new LoadSettings(system.GatewayAddress, () => TestTokens.Create())
            {
                Tasks = Scale.Pick(20, 100),
                KeepaliveInterval = ReplicatedSystem.KeepaliveInterval,
            },
            produce: false);

        using var sampling = new CancellationTokenSource();
        var connections = SampleConnectionsAsync(database, sampling.Token);
        var producers = Enumerable.Range(0, appenders).Select(_ => load.NewProducer()).ToList();
        using var start = new SemaphoreSlim(0);
        var appending = producers.Select((producer, i) => Task.Run(async () =>
        {
            await start.WaitAsync();
            await producer.BurstAsync(load.TaskIds[i % load.TaskIds.Count], eventsEach, Scale.Deadline);
        })).ToList();
        var startedAt = DateTimeOffset.UtcNow;
        start.Release(appenders);
        var all = Task.WhenAll(appending);
        var finished = await Task.WhenAny(all, Task.Delay(Scale.Deadline));
        Assert.True(finished == all, $"the appenders had not finished after {Scale.Deadline.TotalSeconds} s: a deadlock or a hang");
        await all;
        var took = DateTimeOffset.UtcNow - startedAt;
        await sampling.CancelAsync();
        var (maxConnections, excess) = await connections;
        var check = await load.FinishAsync();

        FaultOutcome.RecordAndAssert(8, $"{appenders} concurrent appenders, pool of {PoolSize}", "1 Api process + gateway (default rate limits)", load, check, null,
            $"{appenders}×{eventsEach} appends in {took.TotalSeconds:0.0} s; at most {maxConnections} database connections (pool {PoolSize} + LISTEN + the append writer's); " +
            $"slowest answer {load.ProducerStatuses.SlowestAnswer.TotalSeconds:0.00} s; gave up and resent {producers.Sum(p => p.GaveUp)}×" +
            (excess is null ? "" : $"; fullest sample: {excess}"),
            FaultExpectations.ServerErrors((503, "the pool is exhausted: Retry-After")), output);
        Assert.Equal(appenders * eventsEach + load.TaskIds.Count, check.Acknowledged); // and each task's completion
        Assert.True(maxConnections <= PoolSize + OwnConnections, $"{maxConnections} database connections for a pool of {PoolSize}: {excess}");
        Assert.All(load.ProducerStatuses.Outcomes, outcome => Assert.Contains(outcome, new[] { "200", "201", "429", "503" }));
    }

    /// <summary>
    /// The most connections the Api held to its database at any sample (the sampler's own excluded), and what they were
    /// doing in the fullest sample past the pool and the Api's own two connections.
    /// </summary>
    private static async Task<(int Most, string? Excess)> SampleConnectionsAsync(string database, CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(CancellationToken.None);
        await using var sample = new NpgsqlCommand(
            "SELECT coalesce(application_name, '') || ':' || coalesce(state, '') || ':' || left(coalesce(query, ''), 40) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
            connection);
        var most = 0;
        string? excess = null;
        while (!stop.IsCancellationRequested)
        {
            var backends = new List<string>();
            await using (var reader = await sample.ExecuteReaderAsync(CancellationToken.None))
            {
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    backends.Add(reader.GetString(0));
                }
            }

            if (backends.Count > most)
            {
                most = backends.Count;
                excess = most > PoolSize + OwnConnections ? string.Join("; ", backends.GroupBy(b => b).Select(g => $"{g.Count()}× {g.Key}")) : null;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return (most, excess);
    }
}
