namespace TaskEvents.Client.Http;

/// <summary>
/// Exponential backoff with full jitter: after n failures the wait is uniform in [0, min(max, initial × factor^n)),
/// which spreads the reconnects of many clients instead of sending them back in waves.
/// </summary>
/// <param name="random">The jitter's source; <see cref="Random.Shared"/> unless a test pins it.</param>
internal sealed class FullJitterBackoff(TimeSpan initial, TimeSpan max, double factor, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private int _failures;

    public TimeSpan NextDelay()
    {
        var bound = Math.Min(max.Ticks, initial.Ticks * Math.Pow(factor, _failures));
        _failures++;
        return TimeSpan.FromTicks((long)(_random.NextDouble() * bound));
    }

    public void Reset() => _failures = 0;
}
