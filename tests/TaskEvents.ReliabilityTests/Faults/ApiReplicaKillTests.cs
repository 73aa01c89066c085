using TaskEvents.ReliabilityTests.Load;
using TaskEvents.SystemTesting;

namespace TaskEvents.ReliabilityTests.Faults;

/// <summary>
/// Fault 1: <c>kill -9</c> of the Api replica holding most streams, in the whole system as the AppHost runs it
/// (PostgreSQL, two Api replicas, the gateway, the demo emitter): its subscribers resume through the other replica.
/// </summary>
public sealed class ApiReplicaKillTests(ITestOutputHelper output)
{
    /// <summary>Below the gateway's default per-client REST rate (50/s) for the one producer token.</summary>
    private const double ProducerRate = 40;

    [Fact]
    public async Task Subscribers_of_a_killed_replica_resume_through_the_other_with_nothing_lost_or_repeated()
    {
        await using var system = await TaskEventsSystem.StartAsync(new TaskEventsSystemOptions
        {
            Log = line =>
            {
                try
                {
                    output.WriteLine(line);
                }
                catch (InvalidOperationException)
                {
                    // The test has finished; lines written while stopping have nowhere to go.
                }
            },
        });

        await using var load = await FaultLoad.StartAsync(new LoadSettings(system.Gateway, DevelopmentTokens.Create)
        {
            EventsPerSecond = Math.Min(ProducerRate, Scale.EventsPerSecond),
        });
        await load.WaitUntilStreamingAsync();
        var replicas = system.ApiReplicas;
        var streams = await Task.WhenAll(replicas.Select(r => ReplicatedSystem.StreamHealthAsync(system.ApiEndpoint(r))));
        var victim = streams[0].Streams >= streams[1].Streams ? replicas[0] : replicas[1];
        var victimStreams = Math.Max(streams[0].Streams, streams[1].Streams);
        var streamsBefore = load.SubscriberStatuses.StreamsOpened;

        var killedAt = DateTimeOffset.UtcNow;
        await system.KillAsync(victim);
        var recovery = await load.WaitForRecoveryAsync(killedAt);
        var survivor = victim == replicas[0] ? replicas[1] : replicas[0];
        var survivorStreams = (await ReplicatedSystem.StreamHealthAsync(system.ApiEndpoint(survivor))).Streams;
        await load.WaitForAcknowledgedAsync(Scale.EventsAfterRecovery);
        var check = await load.FinishAsync();

        var reopened = load.SubscriberStatuses.StreamsOpened - streamsBefore;
        FaultOutcome.RecordAndAssert(1, "kill -9 of an Api replica", "AppHost: PostgreSQL + 2 Api replicas + gateway + emitter", load, check, recovery,
            $"{victim} killed holding {victimStreams} streams; then {survivorStreams} on {survivor}; {reopened} client streams reopened; producer gave up {load.Producer.GaveUp}× and resent",
            FaultExpectations.ServerErrors((502, "appends in flight on the killed replica; the producer resends the same event ids")), output);
        Assert.True(victimStreams > 0, "the killed replica held no streams");
        // The gateway's shared streams reopen on the survivor by themselves (their clients need not reconnect): what the
        // killed replica held is on the survivor once every subscriber has an event from after the kill.
        Assert.True(survivorStreams >= victimStreams, $"the survivor holds {survivorStreams} streams, the killed replica held {victimStreams}");
    }
}
