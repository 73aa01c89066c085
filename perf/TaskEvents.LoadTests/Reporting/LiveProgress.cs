using System.Globalization;
using Spectre.Console;
using TaskEvents.LoadTests.Measurement;

namespace TaskEvents.LoadTests.Reporting;

/// <summary>
/// The live view (Spectre.Console): one row per second with elapsed time, phase, streams opened, published/s, delivered/s,
/// p50/p99 of the second and so far, errors and CPU. On a terminal it redraws in place; redirected, it prints plain lines.
/// </summary>
internal sealed class LiveProgress(IAnsiConsole console)
{
    private const int VisibleRows = 12;

    public void Message(string text) => console.MarkupLine($"[grey]{DateTime.Now:HH:mm:ss}[/] {Markup.Escape(text)}");

    public async Task<T> TrackAsync<T>(string title, Func<Action<IntervalSample, double, double>, Task<T>> run)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            Message(title);
            return await run((s, p50, p99) => console.WriteLine(Line(s, p50, p99)));
        }

        var table = new Table().Border(TableBorder.Simple).Title(Markup.Escape(title));
        foreach (var column in new[] { "elapsed", "phase", "streams", "published/s", "delivered/s", "p50 ms", "p99 ms", "p50 so far", "p99 so far", "errors", "harness CPU", "system CPU" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        var result = default(T)!;
        await console.Live(table).AutoClear(false).StartAsync(async context =>
        {
            result = await run((s, p50, p99) =>
            {
                if (table.Rows.Count >= VisibleRows)
                {
                    table.Rows.RemoveAt(0);
                }

                table.AddRow(Cells(s, p50, p99));
                context.Refresh();
            });
        });
        return result;
    }

    private static string[] Cells(IntervalSample s, double p50SoFar, double p99SoFar) =>
    [
        s.ElapsedSeconds.ToString("0", CultureInfo.InvariantCulture) + " s",
        s.Phase,
        s.StreamsOpened.ToString("N0", CultureInfo.InvariantCulture),
        s.PublishedPerSecond.ToString("N0", CultureInfo.InvariantCulture),
        s.DeliveredPerSecond.ToString("N0", CultureInfo.InvariantCulture),
        RunResult.Ms(s.P50),
        RunResult.Ms(s.P99),
        RunResult.Ms(p50SoFar),
        RunResult.Ms(p99SoFar),
        s.Errors.ToString(CultureInfo.InvariantCulture),
        s.HarnessCpuPercent.ToString("0", CultureInfo.InvariantCulture) + " %",
        double.IsNaN(s.SystemCpuPercent) ? "–" : s.SystemCpuPercent.ToString("0", CultureInfo.InvariantCulture) + " %",
    ];

    private static string Line(IntervalSample s, double p50, double p99)
    {
        var c = Cells(s, p50, p99);
        return $"{c[0],6} {c[1],-8} streams {c[2]}  pub/s {c[3]}  del/s {c[4]}  p50 {c[5]}  p99 {c[6]}  (so far {c[7]} / {c[8]})  errors {c[9]}  cpu harness {c[10]} system {c[11]}";
    }
}
