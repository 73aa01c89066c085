using TaskEvents.LocalPostgres;
using TaskEvents.ReliabilityTests.Load;

namespace TaskEvents.ReliabilityTests.Faults;

/// <summary>
/// Fault 2: PostgreSQL stopped (fast shutdown) and started again mid-stream. Appends meanwhile get 503 with Retry-After,
/// never a 500 and never a hang; the producer resends the same event ids; LISTEN comes back by itself.
/// </summary>
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    /// <summary>No attempt may wait longer than this for an answer, outage or not (the client would wait 30 s).</summary>
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Appends_during_a_database_restart_get_503_with_retry_after_and_nothing_acknowledged_is_lost()
    {
        // A server of its own: the shared one serves the other tests.
        var options = new LocalPostgresOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), $"taskevents-fault-pg-{Guid.NewGuid():N}"),
            Durable = false,
            Port = LocalPostgresServer.FreeTcpPort(),
        };
        var server = await LocalPostgresServer.StartAsync(options);
        try
        {
            await server.CreateDatabaseAsync("taskevents");
            await using var system = await ReplicatedSystem.StartAsync(server.ConnectionString("taskevents"));
            await using var load = await FaultLoad.StartAsync(new LoadSettings(system.GatewayAddress, () => TestTokens.Create())
            {
                KeepaliveInterval = ReplicatedSystem.KeepaliveInterval,
            });
            await load.WaitUntilStreamingAsync();

            var stoppedAt = DateTimeOffset.UtcNow;
            await server.StopAsync();
            await Poll.UntilAsync(() => load.ProducerStatuses.Count(System.Net.HttpStatusCode.ServiceUnavailable) > 0, Scale.Deadline, "an append was answered 503");
            await Poll.UntilAsync(() => system.AllListenersAreAsync("polling"), Scale.Deadline, "every Api noticed LISTEN is gone");
            var outage = DateTimeOffset.UtcNow - stoppedAt;

            server = await LocalPostgresServer.StartAsync(options);
            var startedAt = DateTimeOffset.UtcNow;
            var recovery = await load.WaitForRecoveryAsync(startedAt);
            await Poll.UntilAsync(() => system.AllListenersAreAsync("listening"), Scale.Deadline, "every Api listens again");
            await load.WaitForAcknowledgedAsync(Scale.EventsAfterRecovery);
            var check = await load.FinishAsync();

            FaultOutcome.RecordAndAssert(2, "PostgreSQL fast shutdown, then started again", "2 Api processes + gateway + own PostgreSQL", load, check, recovery,
                $"outage {outage.TotalSeconds:0.0} s; recovery counted from the restart; every 503 had Retry-After: {(load.ProducerStatuses.WithoutRetryAfter == 0 ? "yes" : "no")}; " +
                $"slowest answer {load.ProducerStatuses.SlowestAnswer.TotalSeconds:0.00} s; producer gave up {load.Producer.GaveUp}× and resent; LISTEN back by itself",
                FaultExpectations.ServerErrors((503, "the database is down: Retry-After")), output);
            Assert.Equal(0, load.ProducerStatuses.WithoutRetryAfter);
            Assert.True(load.ProducerStatuses.SlowestAnswer < AnswerBound, $"an append waited {load.ProducerStatuses.SlowestAnswer} for its answer");
            Assert.All(load.ProducerStatuses.Outcomes, outcome => Assert.Contains(outcome, new[] { "200", "201", "503" }));
        }
        finally
        {
            await server.StopAsync();
            Directory.Delete(options.DataDirectory, recursive: true);
        }
    }
}
