namespace TaskEvents.Emitter.Runs;

/// <summary>
/// Releases events at a steady rate: event i is due at i / rate seconds. When sending falls behind, the events that are
/// already due go together in one batch instead of being sent late one by one.
/// </summary>
internal sealed class EventPacer(double eventsPerSecond, TimeProvider time)
{
    private readonly long _start = time.GetTimestamp();
    private long _released;

    /// <summary>Waits until the next event is due; returns how many are due now (at least 1, at most <paramref name="max"/>).</summary>
    public async Task<int> WaitForDueAsync(int max, CancellationToken cancellationToken)
    {
        var elapsed = time.GetElapsedTime(_start);
        var due = (long)Math.Floor(elapsed.TotalSeconds * eventsPerSecond) + 1 - _released;
        if (due <= 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(_released / eventsPerSecond) - elapsed, time, cancellationToken);
            due = 1;
        }

        var count = (int)Math.Min(due, max);
        _released += count;
        return count;
    }
}
