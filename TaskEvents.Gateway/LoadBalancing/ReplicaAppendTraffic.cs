namespace TaskEvents.Gateway.LoadBalancing;

/// <summary>
/// One replica's appends as the gateway sees them: how many are in flight, when it last made progress (answered one, or
/// was given one while it had none), and until when it is passed over after it stalled. Updated without locks; a race
/// costs at most one append's placement. Times are UTC ticks.
/// </summary>
internal sealed class ReplicaAppendTraffic
{
    private int _inFlight;
    private long _lastProgress;
    private long _passedOverUntil;
    private Task<bool>? _probe;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Whether appends are in flight and none was answered within <paramref name="threshold"/> of <paramref name="now"/>.</summary>
    public bool IsStalled(long now, TimeSpan threshold) =>
        InFlight > 0 && now - Volatile.Read(ref _lastProgress) >= threshold.Ticks;

    /// <summary>Whether it should get no appends now: it stalled, or did not long ago and has answered nothing since.</summary>
    public bool IsPassedOver(long now, TimeSpan threshold) => IsStalled(now, threshold) || now < Volatile.Read(ref _passedOverUntil);

    /// <summary>
    /// It stalled: no appends until <paramref name="until"/> (then one is tried) or until it answers one. False when it
    /// was passed over already at <paramref name="now"/> (another of its appends found the stall first).
    /// </summary>
    public bool PassOver(long now, long until) => Interlocked.Exchange(ref _passedOverUntil, until) <= now;

    /// <summary>
    /// Whether the replica answers its liveness probe: <paramref name="probe"/> is sent unless one is on its way already,
    /// whose answer every caller then shares. An answer counts as progress: the replica is slow, not stalled.
    /// </summary>
    public async Task<bool> AnswersProbeAsync(Func<Task<bool>> probe, TimeProvider time)
    {
        var sent = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _probe, sent.Task, null) is { } pending)
        {
            return await pending;
        }

        var answers = false;
        try
        {
            answers = await probe();
            if (answers)
            {
                Volatile.Write(ref _lastProgress, time.GetUtcNow().UtcTicks);
            }
        }
        finally
        {
            Volatile.Write(ref _probe, null);
            sent.SetResult(answers);
        }

        return answers;
    }

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
            Volatile.Write(ref _passedOverUntil, 0);
        }

        Interlocked.Decrement(ref _inFlight);
    }
}
