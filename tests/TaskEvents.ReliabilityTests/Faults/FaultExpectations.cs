namespace TaskEvents.ReliabilityTests.Faults;

/// <summary>
/// What a fault may cause besides delays: the answers of 500 and above it explains (each with why), and whether it
/// explains REST gap fills by TaskEvents.Client. Anything else a fault run sees fails it.
/// </summary>
internal sealed record FaultExpectations
{
    /// <summary>No 5xx and no gap fill: the fault must be invisible to clients except as a delay.</summary>
    public static readonly FaultExpectations Nothing = new();

    public IReadOnlyDictionary<int, string> ExplainedServerErrors { get; init; } = new Dictionary<int, string>();

    /// <summary>Why this fault may make a client fill a gap over REST; null when it may not.</summary>
    public string? GapFillsExplainedBy { get; init; }

    public static FaultExpectations ServerErrors(params (int Status, string Why)[] explained) =>
        new() { ExplainedServerErrors = explained.ToDictionary(e => e.Status, e => e.Why) };
}
