using TaskEvents.ReliabilityTests.Load;

namespace TaskEvents.ReliabilityTests.Faults;

/// <summary>Fault 4: the gateway restarted mid-stream; clients reconnect to the new one and resume.</summary>
public sealed class GatewayRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Subscribers_resume_through_a_restarted_gateway_with_nothing_lost_or_repeated()
    {
        await using var system = await ReplicatedSystem.StartAsync(await SharedPostgres.CreateDatabaseAsync());
        await using var load = await FaultLoad.StartAsync(new LoadSettings(system.GatewayAddress, () => TestTokens.Create())
        {
            KeepaliveInterval = ReplicatedSystem.KeepaliveInterval,
        });
        await load.WaitUntilStreamingAsync();
        var streamsBefore = load.SubscriberStatuses.StreamsOpened;

        var restartedAt = DateTimeOffset.UtcNow;
        await system.RestartGatewayAsync();
        var recovery = await load.WaitForRecoveryAsync(restartedAt);
        await load.WaitForAcknowledgedAsync(Scale.EventsAfterRecovery);
        var check = await load.FinishAsync();

        var reopened = load.SubscriberStatuses.StreamsOpened - streamsBefore;
        FaultOutcome.RecordAndAssert(4, "Gateway restarted (same port)", "2 Api processes + gateway", load, check, recovery,
            $"{reopened} streams reopened; producer gave up {load.Producer.GaveUp}× and resent",
            FaultExpectations.Nothing, output);
        Assert.True(reopened >= load.Subscribers.Count, $"only {reopened} of {load.Subscribers.Count} streams were reopened");
    }
}
