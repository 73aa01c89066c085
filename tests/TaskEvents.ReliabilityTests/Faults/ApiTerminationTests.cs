using System.Text.Json;
using TaskEvents.ReliabilityTests.Load;

namespace TaskEvents.ReliabilityTests.Faults;

/// <summary>
/// Fault 7: SIGTERM to an Api replica mid-stream. Its streams get the <c>reconnect</c> message, appends in flight finish
/// or fail cleanly, the process exits within its timeout, and the subscribers resume on the other replica.
/// </summary>
public sealed class ApiTerminationTests(ITestOutputHelper output)
{
    /// <summary>The AppHost's ShutdownTimeoutSeconds: after this, the orchestrator would SIGKILL the replica.</summary>
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task A_terminated_replica_says_reconnect_to_its_streams_and_exits_in_time_with_nothing_lost()
    {
        // Proxied streams: through the gateway's shared streams the Api's goodbye reaches the gateway, which reopens on the
        // other replica without a word to its clients (FanOutTests); here the goodbye itself is checked at the wire.
        await using var system = await ReplicatedSystem.StartAsync(await SharedPostgres.CreateDatabaseAsync(), proxyEveryStream: true);
        await using var load = await FaultLoad.StartAsync(new LoadSettings(system.GatewayAddress, () => TestTokens.Create())
        {
            KeepaliveInterval = ReplicatedSystem.KeepaliveInterval,
        });

        // Raw streams beside the client's, so the control messages the client handles silently can be seen.
        using var watching = new CancellationTokenSource(Scale.Deadline * 2);
        using var raw = TestHttpClient.Create(system.GatewayAddress, TestTokens.Create());
        var opened = Enumerable.Range(0, 2 * load.TaskIds.Count).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        var watchers = opened
            .Select((signal, i) => WatchAsync(raw, load.TaskIds[i % load.TaskIds.Count], signal, watching.Token))
            .ToList();
        await load.WaitUntilStreamingAsync();
        await Task.WhenAll(opened.Select(o => o.Task)).WaitAsync(Scale.Deadline);
        var (victim, victimStreams) = await system.BusiestReplicaAsync();

        var terminatedAt = DateTimeOffset.UtcNow;
        var (took, exitCode) = await victim.TerminateAsync(Scale.Deadline);
        var recovery = await load.WaitForRecoveryAsync(terminatedAt);
        await load.WaitForAcknowledgedAsync(Scale.EventsAfterRecovery);
        var check = await load.FinishAsync();
        var endings = await Task.WhenAll(watchers);

        var reconnects = endings.Count(e => e == "reconnect:server_shutdown");
        FaultOutcome.RecordAndAssert(7, "SIGTERM to an Api replica", "2 Api processes + gateway", load, check, recovery,
            $"exited with {exitCode} after {took?.TotalSeconds:0.00} s; {victimStreams} streams on it; raw streams ended with: " +
            string.Join(", ", endings.GroupBy(e => e).Select(g => $"{g.Key}×{g.Count()}")),
            FaultExpectations.Nothing, output);
        Assert.NotNull(took);
        Assert.True(took < ShutdownTimeout, $"the replica took {took} to exit");
        Assert.Equal(0, exitCode);
        Assert.True(reconnects > 0, "no raw stream got the reconnect message");
        Assert.All(endings, e => Assert.Contains(e, new[] { "reconnect:server_shutdown", "end:completed" }));
    }

    /// <summary>
    /// Reads one stream to its close, without reconnecting; signals <paramref name="opened"/> at its first frame and
    /// returns the last control message (type:reason).
    /// </summary>
    private static async Task<string> WatchAsync(HttpClient client, string taskId, TaskCompletionSource opened, CancellationToken cancellationToken)
    {
        using var stream = await SseWireReader.OpenAsync(client, $"/sse/tasks/{taskId}/events?batch_size=1", cancellationToken: cancellationToken);
        var last = "closed without a message";
        try
        {
            while (await stream.ReadFrameAsync(cancellationToken) is { } frame)
            {
                opened.TrySetResult();
                if (frame.Id is null && frame.Data is { } data)
                {
                    var message = JsonElement.Parse(data);
                    var type = message.GetProperty("type").GetString();
                    var detail = message.TryGetProperty("reason", out var reason) ? reason.GetString() : message.GetProperty("status").GetString();
                    last = $"{type}:{detail}";
                }
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            last = $"broken after {last}";
        }

        return last;
    }
}
