using System.Globalization;
using System.Text;
using TaskEvents.ReliabilityTests.Load;

namespace TaskEvents.ReliabilityTests.Reporting;

/// <summary>
/// Writes each fault's row into <c>artifacts/reliability/faults.md</c>, replacing that fault's previous row and keeping
/// the others, under an exclusive lock file: test processes running at once never clobber each other's rows.
/// </summary>
internal static class FaultsTable
{
    private const string Header = """
        | # | Fault | System | Scale | Subscribers | Events acked | Deliveries | Lost | Duplicated | Out of order | Recovery (s) | Statuses seen | Notes |
        | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |
        """;

    public static string FilePath => Path.Combine(ReliabilityArtifacts.Directory, "faults.md");

    public static void Record(FaultRow row)
    {
        Directory.CreateDirectory(ReliabilityArtifacts.Directory);
        using var exclusive = AcquireLock(FilePath + ".lock");
        var rows = File.Exists(FilePath)
            ? File.ReadAllLines(FilePath).Where(l => l.StartsWith("| ", StringComparison.Ordinal) && char.IsDigit(l[2])).ToList()
            : [];
        rows.RemoveAll(l => l.StartsWith($"| {row.Number} |", StringComparison.Ordinal));
        rows.Add(Format(row));
        rows.Sort((a, b) => NumberOf(a).CompareTo(NumberOf(b)));

        var text = new StringBuilder()
            .AppendLine("# Faults under load")
            .AppendLine()
            .AppendLine("Every acknowledged event must reach every subscriber exactly once, in order. Written by `tests/TaskEvents.ReliabilityTests`;")
            .AppendLine($"scale `fast` is the default test run, `full` is `{Scale.Variable}=1` (`scripts/reliability.sh`).")
            .AppendLine()
            .AppendLine(Header);
        rows.ForEach(r => text.AppendLine(r));
        var temporary = FilePath + ".tmp";
        File.WriteAllText(temporary, text.ToString());
        File.Move(temporary, FilePath, overwrite: true);
    }

    private static string Format(FaultRow row) => string.Join(" | ",
    [
        $"| {row.Number}",
        Cell(row.Fault),
        Cell(row.System),
        Scale.Name,
        row.Subscribers.ToString(CultureInfo.InvariantCulture),
        row.EventsAcknowledged.ToString(CultureInfo.InvariantCulture),
        row.Deliveries.ToString(CultureInfo.InvariantCulture),
        row.Lost.ToString(CultureInfo.InvariantCulture),
        row.Duplicated.ToString(CultureInfo.InvariantCulture),
        row.OutOfOrder.ToString(CultureInfo.InvariantCulture),
        row.Recovery is { } recovery ? recovery.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) : "–",
        Cell(row.Statuses),
        Cell(row.Notes) + " |",
    ]);

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static int NumberOf(string line) => int.Parse(line[2..line.IndexOf(' ', 2)], CultureInfo.InvariantCulture);

    private static FileStream AcquireLock(string path)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (!deadline.IsCancellationRequested)
            {
                Thread.Sleep(20);
            }
        }
    }
}
