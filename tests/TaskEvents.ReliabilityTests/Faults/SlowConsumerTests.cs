using System.Diagnostics;
using TaskEvents.ReliabilityTests.Load;

namespace TaskEvents.ReliabilityTests.Faults;

/// <summary>
/// Fault 6: a consumer reading one event per second among fast ones. The fast ones' delivery latency stays close to a
/// run without it, the Api's memory stays flat (it keeps a cursor per stream, not a buffer), and the slow one, once it
/// reads again, catches up from the database with nothing lost or repeated.
/// </summary>
public sealed class SlowConsumerTests(ITestOutputHelper output)
{
    /// <summary>The tail keeps this few events, so the slow consumer falls behind it and reads from the database.</summary>
    private const int TailBufferSize = 16;

    /// <summary>Big events, so the slow consumer's few kilobytes of socket buffer fill and push back on the server.</summary>
    private const int PayloadBytes = 16 * 1024;

    /// <summary>
    /// The p99 may double, plus this much: a loaded 2-core machine stalls for a second now and then. A slow consumer
    /// that held the others back would add more (they would get about one event per second), and would also fail the
    /// stricter check below: the fast ones on its task must stay far closer to the end than it is.
    /// </summary>
    private static readonly TimeSpan LatencySlack = TimeSpan.FromSeconds(2);

    /// <summary>Generous: the fast subscribers alone receive several hundred megabytes' worth of allocations in a full run.</summary>
    private const long MemoryGrowthBound = 100L * 1024 * 1024;

    [Fact]
    public async Task A_slow_consumer_neither_slows_the_fast_ones_nor_grows_the_api_and_catches_up_from_the_database()
    {
        var events = Scale.Pick(160, 1000);
        await using var system = await ReplicatedSystem.StartAsync(await SharedPostgres.CreateDatabaseAsync(), replicas: 1,
            apiSettings: new Dictionary<string, string?> { ["Sse:TailBufferSize"] = TailBufferSize.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var api = system.Apis[0];
        var settings = new LoadSettings(system.GatewayAddress, () => TestTokens.Create())
        {
            KeepaliveInterval = ReplicatedSystem.KeepaliveInterval,
            BatchSize = 1,
            PayloadBytes = PayloadBytes,
        };

        // Without the slow consumer.
        TimeSpan alone;
        await using (var baseline = await FaultLoad.StartAsync(settings))
        {
            await baseline.WaitUntilStreamingAsync();
            await baseline.WaitForAcknowledgedAsync(events);
            var check = await baseline.FinishAsync();
            Assert.True(check.Perfect, check.ToString());
            alone = P99(baseline.Subscribers);
        }

        // With it, on the first task, over sockets with a small receive window.
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var slowHttp = new HttpClient(new DroppableConnections(receiveBufferBytes: 4096).Handler) { Timeout = Timeout.InfiniteTimeSpan };
        await using var load = await FaultLoad.StartAsync(settings);
        var fast = load.Subscribers.ToList();
        var slow = load.Subscribe(load.TaskIds[0], () => released.Task.IsCompleted ? Task.CompletedTask : Task.Delay(TimeSpan.FromSeconds(1)), slowHttp);
        await load.WaitUntilStreamingAsync();
        var memoryBefore = api.WorkingSetBytes();
        await load.WaitForAcknowledgedAsync(events);
        var memoryAfter = api.WorkingSetBytes();
        var acknowledged = load.Acknowledgements.Of(slow.TaskId).Count;
        var behind = acknowledged - slow.Count;
        var fastBehind = fast.Where(s => s.TaskId == slow.TaskId).Max(s => acknowledged - s.Count);

        var catchingUp = Stopwatch.StartNew();
        released.SetResult();
        var result = await load.FinishAsync();
        await slow.Completion;
        var caughtUpIn = catchingUp.Elapsed;
        var withSlow = P99(fast);

        var bound = Max(alone * 2, alone + LatencySlack);
        FaultOutcome.RecordAndAssert(6, "A slow consumer (1 event/s) among fast ones", "1 Api process + gateway", load, result, null,
            $"fast p99 {withSlow.TotalMilliseconds:0} ms vs {alone.TotalMilliseconds:0} ms without it (bound {bound.TotalMilliseconds:0} ms); " +
            $"slow one {behind} events behind (tail keeps {TailBufferSize}; fast ones on its task at most {fastBehind}), caught up in {caughtUpIn.TotalSeconds:0.0} s; " +
            $"Api working set {memoryBefore / 1048576} → {memoryAfter / 1048576} MiB; {PayloadBytes / 1024} KiB events",
            FaultExpectations.Nothing, output);
        Assert.True(withSlow <= bound, $"the fast subscribers' p99 went from {alone} to {withSlow} with a slow consumer among them");
        Assert.True(behind > TailBufferSize, $"the slow consumer was only {behind} events behind: it never fell past the tail");
        Assert.True(fastBehind * 2 < behind, $"the fast subscribers on the slow one's task were {fastBehind} events behind, the slow one {behind}");
        Assert.True(memoryAfter - memoryBefore < MemoryGrowthBound, $"the Api grew from {memoryBefore} to {memoryAfter} bytes");
    }

    private static TimeSpan P99(IEnumerable<Subscriber> subscribers)
    {
        var latencies = subscribers.SelectMany(s => s.Received).Select(r => r.ReceivedAt - r.CreatedAt).Order().ToList();
        return latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1];
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
