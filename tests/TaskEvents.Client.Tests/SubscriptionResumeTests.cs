using TaskEvents.Client.Tests.TestServers;

namespace TaskEvents.Client.Tests;

public sealed class SubscriptionResumeTests
{
    [Fact]
    public async Task Resumes_after_the_connection_is_cut_and_after_the_server_is_replaced()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        var first = await ApiHost.StartAsync(database);
        await using var relay = new TcpRelay(first.BaseAddress);
        using var client = TestClients.Create(relay.BaseAddress);
        await client.CreateTaskAsync("resume-1");
        await client.AppendAsync("resume-1", TestClients.Notes(3));
        await using var subscription = SubscriptionRecorder.Start(client, "resume-1");
        await subscription.WaitForCountAsync(3);

        // The network fails: no goodbye, the socket just dies.
        relay.DropConnections();
        using (var direct = TaskEventsClient.Create(new TaskEventsClientOptions { BaseAddress = first.BaseAddress }))
        {
            await direct.AppendAsync("resume-1", TestClients.Notes(2));
        }

        await subscription.WaitForCountAsync(5);

        // The process stops (its streams get server_shutdown) and another takes its place on the same database.
        await first.DisposeAsync();
        await using var second = await ApiHost.StartAsync(database);
        relay.RetargetTo(second.BaseAddress);
        using (var direct = TaskEventsClient.Create(new TaskEventsClientOptions { BaseAddress = second.BaseAddress }))
        {
            await direct.AppendAsync("resume-1", [.. TestClients.Notes(2), new NewTaskEvent(TerminalEventTypes.Completed)]);
        }

        await subscription.WaitForCompletionAsync();
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), subscription.Seqs);
        Assert.Equal(TerminalEventTypes.Completed, subscription.Events[^1].EventType);
    }

    [Fact]
    public async Task Starts_after_the_given_seq()
    {
        await using var api = await ApiHost.StartAsync();
        using var client = TestClients.Create(api.BaseAddress);
        await client.CreateTaskAsync("since-1");
        await client.AppendAsync("since-1", [.. TestClients.Notes(5), new NewTaskEvent(TerminalEventTypes.Completed)]);

        var events = await client.SubscribeAsync("since-1", sinceSeq: 3).ToListAsync().AsTask().WaitAsync(SubscriptionRecorder.DefaultWait);

        Assert.Equal([4L, 5L, 6L], events.Select(e => e.Seq));
        Assert.Equal("n4", events[0].Phase);
        Assert.Equal("since-1", events[0].TaskId);
        Assert.True(events[^1].IsTerminal);
    }
}
