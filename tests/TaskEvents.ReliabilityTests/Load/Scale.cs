namespace TaskEvents.ReliabilityTests.Load;

/// <summary>
/// How big the fault runs are: a fast subset by default (part of the normal test command), the sizes with
/// <c>TASKEVENTS_FULL_RUN=1</c> (<c>scripts/reliability.sh</c>).
/// </summary>
internal static class Scale
{
    public const string Variable = "TASKEVENTS_FULL_RUN";

    public static bool Full { get; } = Environment.GetEnvironmentVariable(Variable) == "1";

    public static string Name => Full ? "full" : "fast";

    public static int Pick(int fast, int full) => Full ? full : fast;

    /// <summary>Subscribers per fault (the storm has its own).</summary>
    public static int Subscribers => Pick(20, 200);

    /// <summary>Tasks the subscribers and the producer spread over.</summary>
    public static int Tasks => Pick(4, 10);

    /// <summary>The producer's rate, events per second over all tasks.</summary>
    public static double EventsPerSecond => Pick(40, 100);

    /// <summary>Events acknowledged after recovery before the run ends: the system must keep going, not just come back.</summary>
    public static int EventsAfterRecovery => Pick(40, 1000);

    /// <summary>The bound on every wait of a run (never on speed).</summary>
    public static TimeSpan Deadline => TimeSpan.FromSeconds(Pick(90, 300));
}
