using TaskEvents.ReliabilityTests.Load;
using TaskEvents.ReliabilityTests.Reporting;

namespace TaskEvents.ReliabilityTests.Faults;

/// <summary>What every fault must end with, and its row in the table: recorded first, so a failing run still shows its figures.</summary>
internal static class FaultOutcome
{
    public static void RecordAndAssert(
        int number, string fault, string system, FaultLoad load, DeliveryCheck check, TimeSpan? recovery, string notes,
        FaultExpectations expectations, ITestOutputHelper output)
    {
        var statuses = $"producer: {load.ProducerStatuses.Summary}; streams: {load.SubscriberStatuses.Summary}";
        var serverErrors = ServerErrors(load)
            .Select(e => $"{e.Key}×{e.Value}" + (expectations.ExplainedServerErrors.TryGetValue(e.Key, out var why) ? $" ({why})" : " (UNEXPLAINED)"))
            .ToList();
        var gapFills = load.SubscriberStatuses.GapFillReads;
        var wire = check.Wire ?? throw new InvalidOperationException("The check has no raw-wire share.");
        FaultsTable.Record(new FaultRow(number, fault, system, check.Subscribers, wire.Subscribers, check.Acknowledged, check.Delivered,
            check.Lost, check.Duplicated, check.OutOfOrder + check.Mismatched, gapFills, recovery,
            serverErrors.Count == 0 ? "none" : string.Join(", ", serverErrors), statuses, notes));
        output.WriteLine($"{fault}: {check}; {gapFills} REST gap fills; recovery {recovery?.TotalSeconds:0.00} s; 5xx: {string.Join(", ", serverErrors)}; {statuses}; {notes}");

        Assert.True(check.Perfect, check.ToString());
        Assert.True(wire.Subscribers > 0, "no subscriber read the raw wire");
        Assert.Equal(0, load.Acknowledgements.Conflicts);
        Assert.True(check.Acknowledged > 0, "nothing was acknowledged");
        Assert.All(ServerErrors(load).Keys, status => Assert.True(expectations.ExplainedServerErrors.ContainsKey(status),
            $"{status} answered during \"{fault}\", which does not explain it ({statuses})"));
        Assert.True(gapFills == 0 || expectations.GapFillsExplainedBy is not null,
            $"TaskEvents.Client filled {gapFills} gaps over REST during \"{fault}\": a stream skipped events the fault does not explain");
    }

    private static SortedDictionary<int, int> ServerErrors(FaultLoad load)
    {
        var all = new SortedDictionary<int, int>();
        foreach (var (status, count) in load.ProducerStatuses.ServerErrors.Concat(load.SubscriberStatuses.ServerErrors))
        {
            all[status] = all.GetValueOrDefault(status) + count;
        }

        return all;
    }
}
