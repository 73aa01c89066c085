using TaskEvents.Client.Tests.TestServers;

namespace TaskEvents.Client.Tests;

public sealed class WatchdogTests
{
    [Fact]
    public async Task Reconnects_a_stream_that_goes_silent()
    {
        await using var server = await ScriptedServer.StartAsync(async (context, request) =>
        {
            await SseResponses.StartStreamAsync(context);
            if (request.Number == 1)
            {
                await SseResponses.WriteEventAsync(context, "quiet-1", 1);
                // Headers and one event, then nothing at all: no keepalive, no close.
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }

            await SseResponses.WriteEventAsync(context, "quiet-1", 2);
            await SseResponses.WriteEndAsync(context, 2);
        });
        // The watchdog gives up after 2.5 s of silence: long enough that a loaded machine delivers the first event
        // before it (a watchdog firing first would reconnect without Last-Event-ID), short enough to keep the test quick.
        using var client = TestClients.Create(server.BaseAddress, options =>
        {
            options.KeepaliveInterval = TimeSpan.FromSeconds(1);
            options.FlushInterval = TimeSpan.FromMilliseconds(100);
        });

        var events = await client.SubscribeAsync("quiet-1").ToListAsync().AsTask().WaitAsync(SubscriptionRecorder.DefaultWait);

        Assert.Equal([1L, 2L], events.Select(e => e.Seq));
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("1", server.Requests[1].LastEventId);
    }

    [Fact]
    public async Task Keepalives_hold_a_quiet_stream_open()
    {
        // The server sends a keepalive every 0.3 s; the client's watchdog gives up after 2.5 s of silence. The slack between
        // the two is what a loaded machine (the test command runs suites side by side on two cores) may take to deliver a
        // keepalive: with 0.4 s against 1 s, one late keepalive made the client reconnect.
        await using var api = await ApiHost.StartAsync(settings: new Dictionary<string, string?> { ["Sse:KeepaliveInterval"] = "0.3" });
        await using var proxy = await ForwardingProxy.StartAsync(api.BaseAddress);
        using var client = TestClients.Create(proxy.BaseAddress, options =>
        {
            options.KeepaliveInterval = TimeSpan.FromSeconds(1);
            options.FlushInterval = TimeSpan.FromMilliseconds(100);
        });
        await client.CreateTaskAsync("idle-1");
        await client.AppendAsync("idle-1", TestClients.Notes(1));
        await using var subscription = SubscriptionRecorder.Start(client, "idle-1");
        await subscription.WaitForCountAsync(1);

        // Idle for 6 s, more than two watchdog periods: only the keepalives arrive, and without them the stream would be reopened.
        await Task.Delay(TimeSpan.FromSeconds(6));
        await client.AppendAsync("idle-1", TestClients.Notes(1));
        await subscription.WaitForCountAsync(2);

        Assert.Equal(1, proxy.Requests.Count(r => r.IsStream));
    }
}
