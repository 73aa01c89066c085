using System.Text.Json;
using System.Text.RegularExpressions;

namespace TaskEvents.IntegrationTests;

/// <summary>The whole system as the AppHost runs it (through Aspire.Hosting.Testing): PostgreSQL, two Api replicas, the gateway, the emitter.</summary>
public sealed partial class WholeSystemTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Events_the_emitter_appends_through_the_gateway_reach_a_subscriber_in_order()
    {
        await using var system = await TaskEventsSystem.StartAsync(new TaskEventsSystemOptions { Log = output.Lines() });
        var token = await system.DevTokenAsync();
        using var client = TestHttpClient.Create(system.Gateway, token);
        var taskId = $"it-{Guid.NewGuid():N}";
        await client.CreateTaskAsync(taskId);

        using var timeout = new CancellationTokenSource(Deadline);
        var follower = new SseFollower(client, $"/sse/tasks/{taskId}/events");
        var following = follower.RunAsync(timeout.Token);
        var emitter = EmitterProcess.Start("emit", "--task", taskId, "--count", "150", "--rate", "100", "--complete", "--gateway", system.Gateway.ToString(), "--token", token);

        Assert.True(await emitter.WaitAsync(Deadline) == 0, emitter.Output);
        await following;
        var lastSeq = LastSeq(emitter.Output);
        Assert.True(lastSeq >= 150, emitter.Output);
        Assert.Equal(Enumerable.Range(1, (int)lastSeq).Select(i => (long)i), follower.Seqs);
    }

    [Fact]
    public async Task A_subscriber_whose_api_replica_is_killed_resumes_through_the_other_with_nothing_lost_or_repeated()
    {
        await using var system = await TaskEventsSystem.StartAsync(new TaskEventsSystemOptions { Log = output.Lines() });
        var token = await system.DevTokenAsync();
        using var client = TestHttpClient.Create(system.Gateway, token);
        var taskId = $"it-{Guid.NewGuid():N}";
        await client.CreateTaskAsync(taskId);
        var before = await system.StreamsPerReplicaAsync();

        using var timeout = new CancellationTokenSource(Deadline);
        var follower = new SseFollower(client, $"/sse/tasks/{taskId}/events");
        var following = follower.RunAsync(timeout.Token);
        var emitter = EmitterProcess.Start("emit", "--task", taskId, "--count", "400", "--rate", "80", "--complete", "--gateway", system.Gateway.ToString(), "--token", token);
        await Poll.UntilAsync(() => follower.Seqs.Count >= 40, Deadline, "40 events reached the subscriber");

        // The replica holding the subscriber's stream is the one whose open streams went up.
        var during = await system.StreamsPerReplicaAsync();
        var serving = during.Single(r => r.Value > before[r.Key]).Key;
        var delivered = follower.Seqs.Count;
        await system.KillAsync(serving);

        Assert.True(await emitter.WaitAsync(Deadline) == 0, emitter.Output);
        await following;
        var lastSeq = LastSeq(emitter.Output);
        Assert.True(follower.Seqs.Count > delivered, "nothing arrived after the kill");
        // The gateway's shared stream reopened on the other replica from the last seq it held: the subscriber's one
        // connection never broke (proxied streams, which do reconnect, are ReplicaTests' and fault 7's).
        Assert.Single(follower.Attempts);
        Assert.Equal(Enumerable.Range(1, (int)lastSeq).Select(i => (long)i), follower.Seqs);
    }

    private static long LastSeq(string emitterOutput) =>
        LastSeqPattern().Match(emitterOutput) is { Success: true } match ? long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"emitted \d+ events .* last seq (\d+)")]
    private static partial Regex LastSeqPattern();
}
