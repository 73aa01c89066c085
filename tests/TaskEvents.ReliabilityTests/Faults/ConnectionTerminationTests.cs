using TaskEvents.ReliabilityTests.Load;

namespace TaskEvents.ReliabilityTests.Faults;

/// <summary>
/// Fault 9: every PostgreSQL connection of the Api replicas (pool, append writer, LISTEN) terminated at once with
/// pg_terminate_backend, twice, 10 s apart. Appends caught in a dying connection fail cleanly and are resent; streams
/// go on (by polling until LISTEN is back); nothing is lost or repeated.
/// </summary>
public sealed class ConnectionTerminationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan BetweenTerminations = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Every_database_connection_terminated_twice_loses_and_repeats_nothing()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        await using var system = await ReplicatedSystem.StartAsync(database);
        await using var load = await FaultLoad.StartAsync(new LoadSettings(system.GatewayAddress, () => TestTokens.Create())
        {
            KeepaliveInterval = ReplicatedSystem.KeepaliveInterval,
        });
        await load.WaitUntilStreamingAsync();

        var firstAt = DateTimeOffset.UtcNow;
        var first = await DatabaseBackends.TerminateAsync(database);
        var firstRecovery = await load.WaitForRecoveryAsync(firstAt);

        // The scenario's pause: the second blow lands on connections the Apis opened again after the first.
        await ScenarioClock.UntilAsync(firstAt, BetweenTerminations);
        var secondAt = DateTimeOffset.UtcNow;
        var second = await DatabaseBackends.TerminateAsync(database);
        var secondRecovery = await load.WaitForRecoveryAsync(secondAt);
        await load.WaitForAcknowledgedAsync(Scale.EventsAfterRecovery);
        var check = await load.FinishAsync();

        FaultOutcome.RecordAndAssert(9, "Every database connection terminated (pg_terminate_backend), twice 10 s apart", "2 Api processes + gateway", load, check,
            Max(firstRecovery, secondRecovery),
            $"{first} then {second} backends terminated; recovery {firstRecovery.TotalSeconds:0.00} s and {secondRecovery.TotalSeconds:0.00} s; " +
            $"producer gave up {load.Producer.GaveUp}× and resent",
            FaultExpectations.ServerErrors((503, "an append whose connection was terminated under it: Retry-After, resent")), output);
        Assert.True(first >= 2 * system.Apis.Count, $"only {first} connections terminated the first time");
        Assert.True(second >= 2 * system.Apis.Count, $"only {second} connections terminated the second time");
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
