namespace TaskEvents.Gateway.LoadBalancing;

/// <summary>
/// One replica's appends as the gateway sees them: how many are in flight, and when it last made progress (answered
/// one, or was given one while it had none). Updated without locks; a race costs at most one append's placement.
/// </summary>
internal sealed class ReplicaAppendTraffic
{
    private int _inFlight;
    private long _lastProgress;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Whether appends are in flight and none was answered within <paramref name="threshold"/> of <paramref name="now"/>.</summary>
    public bool IsStalled(long now, TimeSpan threshold) =>
        InFlight > 0 && now - Volatile.Read(ref _lastProgress) > threshold.Ticks;

    public void Started(long now)
    {
        // The clock of an idle replica starts with its first append, not with its last answer long ago.
        if (Interlocked.Increment(ref _inFlight) == 1)
        {
            Volatile.Write(ref _lastProgress, now);
        }
    }

    /// <summary>An append ended; <paramref name="answered"/> when the replica's answer reached the gateway.</summary>
    public void Ended(long now, bool answered)
    {
        if (answered)
        {
            Volatile.Write(ref _lastProgress, now);
        }

        Interlocked.Decrement(ref _inFlight);
    }
}
