using TaskEvents.Client.Tests.TestServers;

namespace TaskEvents.Client.Tests;

public sealed class ControlMessageTests
{
    [Fact]
    public async Task End_completes_the_enumeration_when_the_task_completes_live()
    {
        await using var api = await ApiHost.StartAsync();
        using var client = TestClients.Create(api.BaseAddress);
        await client.CreateTaskAsync("end-1");
        await client.AppendAsync("end-1", TestClients.Notes(2));
        await using var subscription = SubscriptionRecorder.Start(client, "end-1");
        await subscription.WaitForCountAsync(2);

        await client.AppendAsync("end-1", [.. TestClients.Notes(1), new NewTaskEvent(TerminalEventTypes.Completed)]);

        await subscription.WaitForCompletionAsync();
        Assert.Equal([1L, 2L, 3L, 4L], subscription.Seqs);
    }

    [Fact]
    public async Task Follows_reconnect_at_once_and_resumes_with_last_event_id()
    {
        await using var api = await ApiHost.StartAsync(settings: new Dictionary<string, string?> { ["Sse:MaxEventsPerStream"] = "5" });
        await using var proxy = await ForwardingProxy.StartAsync(api.BaseAddress);
        using (var producer = TestClients.Create(api.BaseAddress))
        {
            await producer.CreateTaskAsync("limit-1");
            await producer.AppendAsync("limit-1", TestClients.Notes(12));
        }

        // With a clock that never advances, any backoff wait would hang: only an immediate reconnect gets through.
        using var client = TestClients.Create(proxy.BaseAddress, options => options.TimeProvider = new FrozenTimeProvider());
        await using var subscription = SubscriptionRecorder.Start(client, "limit-1");

        await subscription.WaitForCountAsync(12);

        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), subscription.Seqs);
        var streams = proxy.Requests.Where(r => r.IsStream).ToList();
        Assert.True(streams.Count >= 3, $"expected at least 3 stream connections, saw {streams.Count}");
        Assert.Equal([null, "5", "10"], streams.Take(3).Select(r => r.LastEventId));
    }
}
