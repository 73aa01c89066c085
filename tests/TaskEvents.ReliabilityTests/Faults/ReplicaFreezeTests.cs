using TaskEvents.ReliabilityTests.Load;

namespace TaskEvents.ReliabilityTests.Faults;

/// <summary>
/// Fault 10: the Api replica holding most streams frozen for 10 s (SIGSTOP, then SIGCONT): its sockets stay open and
/// silent, which no connection error reveals. Its streams resume on the other replica (the subscribers notice the
/// missing keepalives) or after it thaws, appends go to the other replica meanwhile, and nothing is lost or repeated.
/// </summary>
public sealed class ReplicaFreezeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Frozen = TimeSpan.FromSeconds(10);

    /// <summary>Answers already on their way when the replica froze may still arrive this long after.</summary>
    private static readonly TimeSpan InFlight = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_replica_frozen_for_10_s_loses_and_repeats_nothing_and_appends_go_to_the_other()
    {
        await using var system = await ReplicatedSystem.StartAsync(await SharedPostgres.CreateDatabaseAsync());
        await using var load = await FaultLoad.StartAsync(new LoadSettings(system.GatewayAddress, () => TestTokens.Create())
        {
            KeepaliveInterval = ReplicatedSystem.KeepaliveInterval,
            ProducerPerTask = true,
        });
        await load.WaitUntilStreamingAsync();
        var (victim, victimStreams) = await system.BusiestReplicaAsync();

        var frozenAt = DateTimeOffset.UtcNow;
        victim.Freeze();
        var recovery = load.WaitForRecoveryAsync(frozenAt);
        try
        {
            await ScenarioClock.UntilAsync(frozenAt, Frozen);
        }
        finally
        {
            victim.Thaw();
        }

        var thawedAt = DateTimeOffset.UtcNow;
        var ackedWhileFrozen = load.Acknowledgements.CountAckedBetween(frozenAt + InFlight, thawedAt);
        var recoveredWhileFrozen = recovery.IsCompletedSuccessfully;
        var recoveredIn = await recovery;
        await load.WaitForAcknowledgedAsync(Scale.EventsAfterRecovery);
        var check = await load.FinishAsync();

        FaultOutcome.RecordAndAssert(10, "An Api replica frozen for 10 s (SIGSTOP, SIGCONT)", "2 Api processes + gateway", load, check, recoveredIn,
            $"{victimStreams} streams on it; every subscriber {(recoveredWhileFrozen ? "recovered while it was frozen" : "recovered only after the thaw")}; " +
            $"{ackedWhileFrozen} appends acknowledged by the other replica while it was frozen; producers gave up {load.GaveUp}× and resent",
            FaultExpectations.Nothing, output);
        Assert.True(victimStreams > 0, "the frozen replica held no streams");
        Assert.True(ackedWhileFrozen > 0, "no append was acknowledged while a replica was frozen: appends did not go to the other one");
    }
}
