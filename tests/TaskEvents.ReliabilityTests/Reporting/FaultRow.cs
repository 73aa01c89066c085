namespace TaskEvents.ReliabilityTests.Reporting;

/// <summary>One fault's figures: a row of <c>artifacts/reliability/faults.md</c>.</summary>
internal sealed record FaultRow(
    int Number,
    string Fault,
    string System,
    int Subscribers,
    int WireSubscribers,
    int EventsAcknowledged,
    long Deliveries,
    int Lost,
    int Duplicated,
    int OutOfOrder,
    int GapFills,
    TimeSpan? Recovery,
    string ServerErrors,
    string Statuses,
    string Notes);
