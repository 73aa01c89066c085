using TaskEvents.ReliabilityTests.Load;

namespace TaskEvents.ReliabilityTests.Faults;

/// <summary>Fault 3: the LISTEN connections killed with pg_terminate_backend; delivery goes on by polling until LISTEN is back.</summary>
public sealed class ListenConnectionKillTests(ITestOutputHelper output)
{
    /// <summary>
    /// How long an Api polls before it tries LISTEN again: long enough that deliveries made while polling are seen as
    /// such even on a loaded machine (they take about a second), short enough for a fast run.
    /// </summary>
    private const double MaxPollIntervalSeconds = 8;

    [Fact]
    public async Task Delivery_continues_by_polling_while_the_listen_connection_is_gone_and_listen_comes_back()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        await using var system = await ReplicatedSystem.StartAsync(database, apiSettings: new Dictionary<string, string?>
        {
            ["Sse:MaxPollInterval"] = MaxPollIntervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await using var load = await FaultLoad.StartAsync(new LoadSettings(system.GatewayAddress, () => TestTokens.Create())
        {
            KeepaliveInterval = ReplicatedSystem.KeepaliveInterval,
        });
        await load.WaitUntilStreamingAsync();

        var killedAt = DateTimeOffset.UtcNow;
        var terminated = await DatabaseBackends.TerminateAsync(database, "taskevents-listener");
        await Poll.UntilAsync(() => system.AllListenersAreAsync("polling"), Scale.Deadline, "every Api noticed and fell back to polling");
        var recovery = await load.WaitForRecoveryAsync(killedAt);
        var deliveredWhilePolling = await system.AllListenersAreAsync("polling");
        await Poll.UntilAsync(() => system.AllListenersAreAsync("listening"), Scale.Deadline, "every Api listens again");
        await load.WaitForAcknowledgedAsync(Scale.EventsAfterRecovery);
        var check = await load.FinishAsync();

        FaultOutcome.RecordAndAssert(3, "LISTEN connections killed (pg_terminate_backend)", "2 Api processes + gateway", load, check, recovery,
            $"{terminated} LISTEN backends terminated; delivered while polling: {(deliveredWhilePolling ? "yes" : "no")}; LISTEN back by itself",
            FaultExpectations.Nothing, output);
        Assert.Equal(system.Apis.Count, terminated);
        Assert.True(deliveredWhilePolling, "the Apis were listening again before the subscribers had events sent after the kill");
    }
}
