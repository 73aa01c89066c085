using TaskEvents.Gateway.FanOut;

namespace TaskEvents.UnitTests.Gateway;

public sealed class HubRingTests
{
    [Fact]
    public void A_new_ring_serves_only_its_start()
    {
        var ring = new HubRing(capacity: 4, startSeq: 10);

        Assert.Equal(0, ring.StartAfter(10));
        Assert.Null(ring.StartAfter(9));
        Assert.Null(ring.StartAfter(11));
    }

    [Fact]
    public void Serves_every_resume_point_it_holds_from_the_next_event()
    {
        var ring = new HubRing(capacity: 8, startSeq: 10);
        ring.Add(Event(11));
        ring.Add(Keepalive());
        ring.Add(Event(12));

        Assert.Equal(0, ring.StartAfter(10));
        Assert.Equal(2, ring.StartAfter(11));
        Assert.Equal(3, ring.StartAfter(12));
        Assert.Null(ring.StartAfter(13));
    }

    [Fact]
    public void Dropping_an_event_moves_what_it_covers()
    {
        var ring = new HubRing(capacity: 3, startSeq: 0);
        foreach (var seq in new long[] { 1, 2, 3, 4, 5 })
        {
            ring.Add(Event(seq));
        }

        Assert.Equal(2, ring.Oldest);
        Assert.Equal(2, ring.CoversAfter);
        Assert.Null(ring.StartAfter(1));
        Assert.Equal(2, ring.StartAfter(2));
        Assert.Equal(3, ring[ring.StartAfter(2)!.Value].Seq);
        Assert.Equal(5, ring.StartAfter(5));
    }

    private static SseFrame Event(long seq) => new(SseFrameKind.Event, seq, new byte[] { 1 });

    private static SseFrame Keepalive() => new(SseFrameKind.Keepalive, 0, new byte[] { 2 });
}
