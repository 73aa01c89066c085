using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TaskEvents.Api.Events;
using TaskEvents.Api.Streaming;
using TaskEvents.UnitTests.Api.ChangeFeed;

namespace TaskEvents.UnitTests.Api.Streaming;

/// <summary>
/// The shared tail of a task, fed by the in-memory change source: what it serves from memory, when a cursor is behind
/// it, and when it reads the store (once per change that did not carry its events).
/// </summary>
public sealed class TaskTailTests : IDisposable
{
    private const int Capacity = 4;
    private static readonly TaskKey Task1 = new("tenant", "t1");

    private readonly InMemoryChangeFeed _feed = new();
    private readonly TaskTailRegistry _hub;

    public TaskTailTests()
    {
        _hub = new TaskTailRegistry(_feed, Options.Create(new SseOptions { TailBufferSize = Capacity }), NullLogger<TaskTail>.Instance);
        _feed.Attach(_hub);
    }

    [Fact]
    public async Task Serves_the_events_a_change_carried_without_reading_the_store()
    {
        using var subscription = await _hub.SubscribeAsync(Task1, Within());

        var appended = _feed.Append(Task1, 2);

        var read = subscription.Tail.Read(0, 10);
        Assert.Equal(TailReadStatus.Served, read.Status);
        Assert.Equal(appended, read.Events);
        Assert.Equal(0, _feed.EventReads);
    }

    [Fact]
    public async Task A_change_announced_by_seq_alone_is_read_from_the_store_once()
    {
        using var subscription = await _hub.SubscribeAsync(Task1, Within());
        var changed = subscription.Tail.Changed;

        var appended = _feed.Append(Task1, 3, Announcement.SeqOnly);

        await changed.WaitAsync(Within());
        Assert.Equal(appended, subscription.Tail.Read(0, 10).Events);
        Assert.Equal(1, _feed.EventReads);
    }

    [Fact]
    public async Task A_gap_before_the_notified_events_is_filled_from_the_store()
    {
        using var subscription = await _hub.SubscribeAsync(Task1, Within());
        var missed = _feed.Append(Task1, 2, Announcement.None);
        var changed = subscription.Tail.Changed;

        var notified = _feed.Append(Task1, 1);

        await changed.WaitAsync(Within());
        Assert.Equal([.. missed, .. notified], subscription.Tail.Read(0, 10).Events);
    }

    [Fact]
    public async Task Serves_no_more_events_than_asked_for()
    {
        using var subscription = await _hub.SubscribeAsync(Task1, Within());
        var appended = _feed.Append(Task1, 3);

        var read = subscription.Tail.Read(0, 2);

        Assert.Equal(appended.Take(2), read.Events);
    }

    [Fact]
    public async Task A_cursor_at_the_newest_event_is_caught_up()
    {
        using var subscription = await _hub.SubscribeAsync(Task1, Within());
        _feed.Append(Task1, 3);

        Assert.Equal(TailReadStatus.CaughtUp, subscription.Tail.Read(3, 10).Status);
    }

    [Fact]
    public async Task Keeps_the_newest_events_up_to_its_capacity_and_sends_older_cursors_to_the_store()
    {
        using var subscription = await _hub.SubscribeAsync(Task1, Within());
        var appended = _feed.Append(Task1, 10);

        // Events 7 to 10 are held: a cursor at 6 is served, one at 5 needs event 6, which is gone.
        Assert.Equal(TailReadStatus.Behind, subscription.Tail.Read(0, 10).Status);
        Assert.Equal(TailReadStatus.Behind, subscription.Tail.Read(10 - Capacity - 1, 10).Status);
        var read = subscription.Tail.Read(10 - Capacity, 10);
        Assert.Equal(TailReadStatus.Served, read.Status);
        Assert.Equal(appended.TakeLast(Capacity), read.Events);
    }

    [Fact]
    public async Task A_tail_opened_on_a_task_with_history_holds_only_what_comes_after()
    {
        _feed.Append(Task1, 5, Announcement.None);

        using var subscription = await _hub.SubscribeAsync(Task1, Within());

        Assert.Equal(TailReadStatus.Behind, subscription.Tail.Read(0, 10).Status);
        Assert.Equal(TailReadStatus.CaughtUp, subscription.Tail.Read(5, 10).Status);
        Assert.Equal(0, _feed.EventReads);
    }

    [Fact]
    public async Task A_seq_already_announced_is_not_news()
    {
        using var subscription = await _hub.SubscribeAsync(Task1, Within());
        _feed.Append(Task1, 2);

        Assert.False(_hub.Announce(Task1, 2));
        Assert.False(_hub.Announce(Task1, 1));
        Assert.True(_hub.Announce(Task1, 3));
    }

    [Fact]
    public async Task A_poll_finds_a_change_whose_notification_was_missed()
    {
        using var subscription = await _hub.SubscribeAsync(Task1, Within());
        var changed = subscription.Tail.Changed;
        var missed = _feed.Append(Task1, 2, Announcement.None);

        Assert.True(_feed.Poll());

        await changed.WaitAsync(Within());
        Assert.Equal(missed, subscription.Tail.Read(0, 10).Events);
        Assert.False(_feed.Poll());
    }

    public void Dispose() => _hub.Dispose();

    private static CancellationToken Within() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;
}
