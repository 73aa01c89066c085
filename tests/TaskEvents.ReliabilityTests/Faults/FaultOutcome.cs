using TaskEvents.ReliabilityTests.Load;
using TaskEvents.ReliabilityTests.Reporting;

namespace TaskEvents.ReliabilityTests.Faults;

/// <summary>What every fault must end with, and its row in the table: recorded first, so a failing run still shows its figures.</summary>
internal static class FaultOutcome
{
    public static void RecordAndAssert(
        int number, string fault, string system, FaultLoad load, DeliveryCheck check, TimeSpan? recovery, string notes, ITestOutputHelper output)
    {
        var statuses = $"producer: {load.ProducerStatuses.Summary}; streams: {load.SubscriberStatuses.Summary}";
        FaultsTable.Record(new FaultRow(number, fault, system, check.Subscribers, check.Acknowledged, check.Delivered,
            check.Lost, check.Duplicated, check.OutOfOrder + check.Mismatched, recovery, statuses, notes));
        output.WriteLine($"{fault}: {check}; recovery {recovery?.TotalSeconds:0.00} s; {statuses}; {notes}");

        Assert.True(check.Perfect, check.ToString());
        Assert.Equal(0, load.Acknowledgements.Conflicts);
        Assert.True(check.Acknowledged > 0, "nothing was acknowledged");
        Assert.Equal(0, load.ProducerStatuses.Count("500"));
        Assert.Equal(0, load.SubscriberStatuses.Count("500"));
    }
}
