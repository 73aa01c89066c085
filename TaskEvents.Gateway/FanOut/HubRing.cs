namespace TaskEvents.Gateway.FanOut;

/// <summary>
/// The last frames of a shared stream, numbered in arrival order. Seqs are dense, so the events held are exactly those
/// after <see cref="CoversAfter"/> up to <see cref="HeadSeq"/>: a subscriber whose last seq is in that range can be
/// served from here without a gap or a repeat. Not thread-safe: its hub locks around it.
/// </summary>
internal sealed class HubRing(int capacity, long startSeq)
{
    private readonly SseFrame[] _frames = new SseFrame[capacity];

    /// <summary>The number the next frame gets.</summary>
    public long Next { get; private set; }

    /// <summary>The oldest frame still held.</summary>
    public long Oldest => Math.Max(0, Next - capacity);

    /// <summary>The seq before the oldest event held: the stream's start until an event is dropped.</summary>
    public long CoversAfter { get; private set; } = startSeq;

    /// <summary>The last event's seq (the stream's start before any).</summary>
    public long HeadSeq { get; private set; } = startSeq;

    public void Add(SseFrame frame)
    {
        ref var slot = ref _frames[Next % capacity];
        if (Next >= capacity && slot.Kind == SseFrameKind.Event)
        {
            CoversAfter = slot.Seq;
        }

        slot = frame;
        Next++;
        if (frame.Kind == SseFrameKind.Event)
        {
            HeadSeq = frame.Seq;
        }
    }

    public SseFrame this[long number] => _frames[number % capacity];

    /// <summary>The number of the first frame to send a subscriber whose last seq is <paramref name="lastSeq"/>; null when not held.</summary>
    public long? StartAfter(long lastSeq)
    {
        if (lastSeq < CoversAfter || lastSeq > HeadSeq)
        {
            return null;
        }

        if (lastSeq == HeadSeq)
        {
            return Next;
        }

        for (var number = Oldest; number < Next; number++)
        {
            var frame = this[number];
            if (frame.Kind == SseFrameKind.Event && frame.Seq == lastSeq + 1)
            {
                return number;
            }
        }

        return null;
    }
}
