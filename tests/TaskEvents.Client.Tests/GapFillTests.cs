using TaskEvents.Client.Tests.TestServers;

namespace TaskEvents.Client.Tests;

/// <summary>A proxy between client and Api loses and repeats frames; the client must still yield each event once, in order.</summary>
public sealed class GapFillTests : IAsyncLifetime
{
    private ApiHost _api = null!;
    private ForwardingProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHost.StartAsync();
        _proxy = await ForwardingProxy.StartAsync(_api.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Fills_a_gap_over_rest_page_by_page_before_yielding_later_events()
    {
        using var client = TestClients.Create(_proxy.BaseAddress, options => options.GapFillPageSize = 2);
        await client.CreateTaskAsync("gap-1");
        await client.AppendAsync("gap-1", [.. TestClients.Notes(8), new NewTaskEvent(TerminalEventTypes.Completed)]);
        _proxy.FrameFilter = frame => frame.Id is "3" or "4" or "5" ? [] : [frame];

        var events = await client.SubscribeAsync("gap-1").ToListAsync().AsTask().WaitAsync(SubscriptionRecorder.DefaultWait);

        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal(["n3", "n4", "n5"], events.Skip(2).Take(3).Select(e => e.Phase));
        var pageReads = _proxy.Requests.Where(r => r.Method == "GET" && r.Path == "/api/tasks/gap-1/events").Select(r => r.Query).ToList();
        Assert.Equal(["?since_seq=2&limit=2", "?since_seq=4&limit=1"], pageReads);
    }

    [Fact]
    public async Task Reads_the_events_the_stream_lost_before_its_end()
    {
        using var client = TestClients.Create(_proxy.BaseAddress);
        await client.CreateTaskAsync("gap-2");
        await client.AppendAsync("gap-2", [.. TestClients.Notes(3), new NewTaskEvent(TerminalEventTypes.Completed)]);
        _proxy.FrameFilter = frame => frame.Id is "3" or "4" ? [] : [frame];

        var events = await client.SubscribeAsync("gap-2").ToListAsync().AsTask().WaitAsync(SubscriptionRecorder.DefaultWait);

        Assert.Equal([1L, 2L, 3L, 4L], events.Select(e => e.Seq));
        Assert.Equal(TerminalEventTypes.Completed, events[^1].EventType);
    }

    [Fact]
    public async Task Yields_repeated_and_replayed_events_once()
    {
        using var client = TestClients.Create(_proxy.BaseAddress);
        await client.CreateTaskAsync("dup-1");
        await client.AppendAsync("dup-1", [.. TestClients.Notes(5), new NewTaskEvent(TerminalEventTypes.Completed)]);
        var sent = new List<SseFrame>();
        _proxy.FrameFilter = frame =>
        {
            if (frame.Id is null)
            {
                return [frame];
            }

            sent.Add(frame);
            // Every event twice, and after the fourth a replay of everything so far.
            return frame.Id == "4" ? [frame, frame, .. sent] : [frame, frame];
        };

        var events = await client.SubscribeAsync("dup-1").ToListAsync().AsTask().WaitAsync(SubscriptionRecorder.DefaultWait);

        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal(6, events.Select(e => e.EventId).Distinct().Count());
    }
}
