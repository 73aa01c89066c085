using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TaskEvents.Api.Events;
using TaskEvents.Api.Streaming;
using TaskEvents.UnitTests.Api.ChangeFeed;

namespace TaskEvents.UnitTests.Api.Streaming;

/// <summary>The hub: one tail per subscribed task, shared by its subscribers, gone with the last of them.</summary>
public sealed class TaskTailRegistryTests : IDisposable
{
    private static readonly TaskKey Task1 = new("tenant", "t1");
    private static readonly TaskKey Task2 = new("tenant", "t2");

    private readonly InMemoryChangeFeed _feed = new();
    private readonly TaskTailRegistry _hub;

    public TaskTailRegistryTests()
    {
        _hub = new TaskTailRegistry(_feed, Options.Create(new SseOptions()), NullLogger<TaskTail>.Instance);
        _feed.Attach(_hub);
    }

    [Fact]
    public async Task Subscribers_of_one_task_share_one_tail()
    {
        using var first = await _hub.SubscribeAsync(Task1, Within());
        using var second = await _hub.SubscribeAsync(Task1, Within());
        using var other = await _hub.SubscribeAsync(Task2, Within());

        Assert.Same(first.Tail, second.Tail);
        Assert.NotSame(first.Tail, other.Tail);
        Assert.Equal([Task1, Task2], _hub.SubscribedTasks().OrderBy(k => k.TaskId));
    }

    [Fact]
    public async Task A_tail_stays_while_any_subscriber_holds_it_and_goes_with_the_last()
    {
        var first = await _hub.SubscribeAsync(Task1, Within());
        var second = await _hub.SubscribeAsync(Task1, Within());

        first.Dispose();
        first.Dispose();
        Assert.Equal([Task1], _hub.SubscribedTasks());

        second.Dispose();
        Assert.Empty(_hub.SubscribedTasks());
    }

    [Fact]
    public void A_change_to_a_task_nobody_here_follows_is_not_news()
    {
        Assert.False(_hub.Announce(Task1, 5));
    }

    public void Dispose() => _hub.Dispose();

    private static CancellationToken Within() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;
}
