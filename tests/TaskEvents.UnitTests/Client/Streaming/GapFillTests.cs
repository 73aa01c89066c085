using System.Text.Json;
using TaskEvents.Client;
using TaskEvents.Client.Streaming;

namespace TaskEvents.UnitTests.Client.Streaming;

public sealed class GapFillTests
{
    [Fact]
    public async Task Reads_exactly_the_missing_range_page_by_page()
    {
        var server = new PagedEvents(lastSeq: 20);
        var gap = new GapFill(server.ReadAsync, pageSize: 3, afterSeq: 4, upToSeq: 11);

        var filled = await ReadAllAsync(gap);

        Assert.Equal([5L, 6, 7, 8, 9, 10, 11], filled.Select(e => e.Seq));
        Assert.Equal([(4L, 3), (7L, 3), (10L, 1)], server.Requests);
        Assert.Null(gap.Failure);
    }

    [Fact]
    public async Task Nothing_is_read_when_there_is_no_gap()
    {
        var server = new PagedEvents(lastSeq: 20);

        var filled = await ReadAllAsync(new GapFill(server.ReadAsync, pageSize: 10, afterSeq: 7, upToSeq: 7));

        Assert.Empty(filled);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Events_outside_the_range_are_not_yielded()
    {
        // A server that ignores limit and returns more than asked for.
        var server = new PagedEvents(lastSeq: 20, ignoreLimit: true);

        var filled = await ReadAllAsync(new GapFill(server.ReadAsync, pageSize: 100, afterSeq: 2, upToSeq: 5));

        Assert.Equal([3L, 4, 5], filled.Select(e => e.Seq));
    }

    [Fact]
    public async Task Stops_at_the_end_of_what_the_server_has()
    {
        var server = new PagedEvents(lastSeq: 6);
        var gap = new GapFill(server.ReadAsync, pageSize: 2, afterSeq: 3, upToSeq: 10);

        var filled = await ReadAllAsync(gap);

        Assert.Equal([4L, 5, 6], filled.Select(e => e.Seq));
        Assert.Null(gap.Failure);
    }

    [Fact]
    public async Task Unavailable_server_stops_the_fill_and_says_why_after_what_was_read()
    {
        var server = new PagedEvents(lastSeq: 20, failFromRequest: 2);
        var gap = new GapFill(server.ReadAsync, pageSize: 2, afterSeq: 0, upToSeq: 9);

        var filled = await ReadAllAsync(gap);

        Assert.Equal([1L, 2], filled.Select(e => e.Seq));
        Assert.Contains("down for maintenance", gap.Failure);
    }

    [Fact]
    public async Task Other_failures_are_not_swallowed()
    {
        var gap = new GapFill((_, _, _) => throw new TaskNotFoundException("gone"), pageSize: 2, afterSeq: 0, upToSeq: 9);

        await Assert.ThrowsAsync<TaskNotFoundException>(() => ReadAllAsync(gap));
    }

    private static async Task<List<TaskEvent>> ReadAllAsync(GapFill gap)
    {
        var events = new List<TaskEvent>();
        await foreach (var e in gap.ReadAsync(CancellationToken.None))
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>A REST read of a task with events 1..lastSeq, recording what was asked.</summary>
    private sealed class PagedEvents(long lastSeq, bool ignoreLimit = false, int failFromRequest = int.MaxValue)
    {
        public List<(long SinceSeq, int Limit)> Requests { get; } = [];

        public Task<EventPage> ReadAsync(long sinceSeq, int limit, CancellationToken cancellationToken)
        {
            Requests.Add((sinceSeq, limit));
            if (Requests.Count >= failFromRequest)
            {
                throw new TaskEventsUnavailableException("down for maintenance", null, null, null);
            }

            var upTo = ignoreLimit ? lastSeq : Math.Min(lastSeq, sinceSeq + limit);
            var events = Enumerable.Range((int)sinceSeq + 1, (int)Math.Max(0, upTo - sinceSeq)).Select(seq => Event(seq)).ToList();
            return Task.FromResult(new EventPage("t", events, upTo < lastSeq, upTo));
        }

        private static TaskEvent Event(long seq) =>
            new(seq, $"e-{seq}", "t", "note", null, null, null, null, JsonDocument.Parse("{}").RootElement, DateTimeOffset.UnixEpoch);
    }
}
