namespace TaskEvents.SecurityTests.Attacks;

/// <summary>One row of the attacks table: what was tried where, what must happen, what did, and which test checks it.</summary>
public sealed record AttackRecord(string Category, string Attack, string Surface, string Expected, string Observed, string Test);
