using System.Collections.Concurrent;
using TaskEvents.SecurityTests.Reporting;

namespace TaskEvents.SecurityTests.Attacks;

/// <summary>
/// Collects what each attack test tried and saw, and writes it to <c>artifacts/reliability/attacks.md</c>, one
/// fragment per test so parallel tests never overwrite each other's rows.
/// </summary>
public static class AttackTable
{
    private const string Header = "| Category | Attack | Surface | Expected | Observed | Test |";

    private static readonly ConcurrentDictionary<string, ConcurrentQueue<AttackRecord>> Rows = new();

    public static void Record(string test, AttackRecord record) => Rows.GetOrAdd(test, _ => new()).Enqueue(record);

    /// <summary>Writes the rows <paramref name="test"/> recorded (call at the end of the test, passed or not).</summary>
    public static string Flush(string test) => Write(test, Rows.TryGetValue(test, out var rows) ? [.. rows] : []);

    public static string Write(string fragment, IReadOnlyList<AttackRecord> rows) =>
        ReliabilityArtifacts.WriteRows(
            "attacks",
            "Attacks: what was tried, what must happen, what did",
            "Written by `tests/TaskEvents.SecurityTests` (`Attacks/`). Surfaces: `gateway` (through TaskEvents.Gateway), `api` (straight at " +
            "TaskEvents.Api), `dashboard UI`, `dashboard OTLP`, `resource service`, `dashboard` (the Aspire dashboard the AppHost runs: its pages and APIs, its OTLP endpoint, the AppHost's resource service behind it, their sockets). Rows whose test is in another project cite the existing test that checks the case.",
            Header,
            fragment,
            rows.Select(r => $"| {Cell(r.Category)} | {Cell(r.Attack)} | {Cell(r.Surface)} | {Cell(r.Expected)} | {Cell(r.Observed)} | {Cell(r.Test)} |"));

    private static string Cell(string text) => ReliabilityArtifacts.Cell(text);
}
