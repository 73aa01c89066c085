using System.Globalization;
using TaskEvents.ReliabilityTests.Load;

namespace TaskEvents.ReliabilityTests.Reporting;

/// <summary>
/// Writes each fault's row into <c>artifacts/reliability/faults.md</c> through <see cref="ReliabilityArtifacts"/>,
/// replacing that fault's previous row and keeping the others.
/// </summary>
internal static class FaultsTable
{
    private const string Header =
        "| # | Fault | System | Scale | Subscribers (raw wire) | Events acked | Deliveries | Lost | Duplicated | Out of order | REST gap fills | Recovery (s) | 5xx seen | Statuses seen | Notes |";

    /// <summary>Replaces this fault's row (one fragment per fault number) and rebuilds the table.</summary>
    public static void Record(FaultRow row) => ReliabilityArtifacts.WriteRows(
        "faults",
        "Faults under load",
        "Every acknowledged event must reach every subscriber exactly once, in order. Half the subscribers use TaskEvents.Client " +
        "(REST gap fills are counted at its HTTP handler), half read the raw SSE wire and resume with Last-Event-ID as a browser does; " +
        "lost, duplicated and out of order count both. Every answer of 500 or above is listed, each explained by its fault. Written by `tests/TaskEvents.ReliabilityTests`; " +
        $"scale `fast` is the default test run, `full` is `{Scale.Variable}=1` (`scripts/reliability.sh`).",
        Header,
        row.Number.ToString("00", CultureInfo.InvariantCulture),
        [Format(row)]);

    private static string Format(FaultRow row) => string.Join(" | ",
    [
        $"| {row.Number}",
        Cell(row.Fault),
        Cell(row.System),
        Scale.Name,
        $"{row.Subscribers.ToString(CultureInfo.InvariantCulture)} ({row.WireSubscribers.ToString(CultureInfo.InvariantCulture)})",
        row.EventsAcknowledged.ToString(CultureInfo.InvariantCulture),
        row.Deliveries.ToString(CultureInfo.InvariantCulture),
        row.Lost.ToString(CultureInfo.InvariantCulture),
        row.Duplicated.ToString(CultureInfo.InvariantCulture),
        row.OutOfOrder.ToString(CultureInfo.InvariantCulture),
        row.GapFills.ToString(CultureInfo.InvariantCulture),
        row.Recovery is { } recovery ? recovery.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) : "–",
        Cell(row.ServerErrors),
        Cell(row.Statuses),
        Cell(row.Notes) + " |",
    ]);

    private static string Cell(string text) => ReliabilityArtifacts.Cell(text);
}
