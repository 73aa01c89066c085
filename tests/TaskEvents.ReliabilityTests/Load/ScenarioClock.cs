namespace TaskEvents.ReliabilityTests.Load;

/// <summary>The pauses a fault is made of (how long a replica stays frozen, the gap between two blows): part of the scenario, not a wait for a condition.</summary>
internal static class ScenarioClock
{
    /// <summary>Completes <paramref name="after"/> past <paramref name="start"/> (at once if that has passed).</summary>
    public static Task UntilAsync(DateTimeOffset start, TimeSpan after)
    {
        var rest = start + after - DateTimeOffset.UtcNow;
        return rest > TimeSpan.Zero ? Task.Delay(rest) : Task.CompletedTask;
    }
}
