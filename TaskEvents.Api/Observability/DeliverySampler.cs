using System.Diagnostics;

namespace TaskEvents.Api.Observability;

/// <summary>
/// Which delivered batches get a span: the first <c>spansPerSecond</c> batches to start in each second (a fixed window,
/// shared by every stream of the process). A refusal is a read or two of shared counters: no lock, no allocation.
/// </summary>
public sealed class DeliverySampler(int spansPerSecond, long ticksPerSecond)
{
    private long _windowStart;
    private int _taken;

    public DeliverySampler(int spansPerSecond)
        : this(spansPerSecond, Stopwatch.Frequency)
    {
    }

    /// <summary>Whether the batch that starts at <paramref name="timestamp"/> (<see cref="Stopwatch.GetTimestamp"/>) gets a span.</summary>
    public bool TrySample(long timestamp)
    {
        if (spansPerSecond == 0)
        {
            return false;
        }

        var windowStart = Volatile.Read(ref _windowStart);
        if (timestamp - windowStart >= ticksPerSecond
            && Interlocked.CompareExchange(ref _windowStart, timestamp, windowStart) == windowStart)
        {
            // Only the caller that moved the window resets it; a racing caller at worst is refused once more.
            Volatile.Write(ref _taken, 0);
        }

        // Read before counting, so once the window is used up refusals stop writing to the shared line.
        return Volatile.Read(ref _taken) < spansPerSecond && Interlocked.Increment(ref _taken) <= spansPerSecond;
    }
}
