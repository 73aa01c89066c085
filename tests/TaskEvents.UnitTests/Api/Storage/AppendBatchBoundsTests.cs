using TaskEvents.Api.Events;
using TaskEvents.Api.Storage;

namespace TaskEvents.UnitTests.Api.Storage;

/// <summary>
/// What one append batch takes from the waiting requests (the per-task combining itself is SQL, append_events, tested
/// against PostgreSQL in Api.Tests' AppendBatchTests).
/// </summary>
public sealed class AppendBatchBoundsTests
{
    [Fact]
    public void Takes_every_waiting_request_that_fits_in_arrival_order()
    {
        var waiting = Queue(Request(1), Request(2), Request(3));
        var expected = waiting.ToList();

        var batch = AppendBatchBounds.TakeFrom(waiting);

        Assert.Equal(expected, batch);
        Assert.Empty(waiting);
    }

    [Fact]
    public void Stops_at_the_first_request_past_the_event_bound_even_if_a_later_one_would_fit()
    {
        var waiting = Queue(Request(AppendBatchBounds.MaxEvents - 1), Request(2), Request(1));
        var first = waiting.Peek();

        var batch = AppendBatchBounds.TakeFrom(waiting);

        Assert.Equal([first], batch);
        Assert.Equal([2, 1], waiting.Select(p => p.Request.Events.Count));
    }

    [Fact]
    public void Stops_at_the_first_request_past_the_payload_bound()
    {
        var half = AppendBatchBounds.MaxPayloadChars / 2;
        var waiting = Queue(Request(1, half), Request(1, half), Request(1, 1));

        var batch = AppendBatchBounds.TakeFrom(waiting);

        Assert.Equal(2, batch.Count);
        Assert.Single(waiting);
    }

    [Fact]
    public void A_request_over_the_bounds_alone_is_taken_alone()
    {
        var waiting = Queue(Request(1, AppendBatchBounds.MaxPayloadChars + 1), Request(1));

        var batch = AppendBatchBounds.TakeFrom(waiting);

        Assert.Single(batch);
        Assert.Single(waiting);
    }

    [Fact]
    public void Nothing_waiting_is_an_empty_batch()
    {
        Assert.Empty(AppendBatchBounds.TakeFrom(new Queue<PendingAppend>()));
    }

    private static Queue<PendingAppend> Queue(params PendingAppend[] requests) => new(requests);

    private static PendingAppend Request(int events, int payloadCharsEach = 2) => new(new AppendRequest(
        new TaskKey("tenant", "t1"),
        [.. Enumerable.Range(0, events).Select(i => new NewEvent($"e{i}", "step", null, null, null, null, new string('x', payloadCharsEach)))]));
}
