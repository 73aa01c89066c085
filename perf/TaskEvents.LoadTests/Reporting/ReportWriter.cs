using System.Globalization;
using System.Net;
using System.Text;
using TaskEvents.LoadTests.Measurement;

namespace TaskEvents.LoadTests.Reporting;

/// <summary>Writes a report's folder: <c>summary.md</c>, <c>summary.html</c>, <c>intervals.csv</c> (charts are drawn beforehand).</summary>
internal static class ReportWriter
{
    public static void Write(Report report)
    {
        System.IO.Directory.CreateDirectory(report.Directory);
        File.WriteAllText(Path.Combine(report.Directory, "summary.md"), Markdown(report));
        File.WriteAllText(Path.Combine(report.Directory, "summary.html"), Html(report));
        File.WriteAllText(Path.Combine(report.Directory, "intervals.csv"), Csv(report.Intervals));
    }

    private static string Markdown(Report report)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Load test: {report.Scenario}").AppendLine();
        md.AppendLine(report.Failures.Count == 0 ? "**Result: passed.**" : $"**Result: FAILED** — {string.Join("; ", report.Failures)}").AppendLine();
        foreach (var line in report.Setup)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
        }

        md.AppendLine();
        foreach (var finding in report.Findings)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {finding}");
        }

        foreach (var table in report.Tables)
        {
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## {table.Title}").AppendLine();
            md.AppendLine("| " + string.Join(" | ", table.Header) + " |");
            md.AppendLine("|" + string.Concat(table.Header.Select(_ => " --- |")));
            foreach (var row in table.Rows)
            {
                md.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
            }
        }

        foreach (var (title, file) in report.Charts)
        {
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"![{title}]({file})");
        }

        md.AppendLine().AppendLine("Per-second figures: `intervals.csv`.");
        return md.ToString();
    }

    private static string Html(Report report)
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.AppendLine("<!doctype html><html><head><meta charset=\"utf-8\"><title>Load test: " + E(report.Scenario) + "</title>");
        html.AppendLine("<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}" +
            "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}" +
            ".fail{color:#b00;font-weight:bold}.pass{color:#070;font-weight:bold}img{max-width:100%}</style></head><body>");
        html.AppendLine("<h1>Load test: " + E(report.Scenario) + "</h1>");
        html.AppendLine(report.Failures.Count == 0
            ? "<p class=\"pass\">Result: passed.</p>"
            : "<p class=\"fail\">Result: FAILED — " + E(string.Join("; ", report.Failures)) + "</p>");
        html.AppendLine("<ul>" + string.Concat(report.Setup.Select(l => "<li>" + E(l) + "</li>")) + "</ul>");
        if (report.Findings.Count > 0)
        {
            html.AppendLine("<ul>" + string.Concat(report.Findings.Select(l => "<li>" + E(l) + "</li>")) + "</ul>");
        }

        foreach (var table in report.Tables)
        {
            html.AppendLine("<h2>" + E(table.Title) + "</h2><table><tr>" + string.Concat(table.Header.Select(h => "<th>" + E(h) + "</th>")) + "</tr>");
            foreach (var row in table.Rows)
            {
                html.AppendLine("<tr>" + string.Concat(row.Select(c => "<td>" + E(c) + "</td>")) + "</tr>");
            }

            html.AppendLine("</table>");
        }

        foreach (var (title, file) in report.Charts)
        {
            html.AppendLine("<h2>" + E(title) + "</h2><img src=\"" + E(file) + "\" alt=\"" + E(title) + "\">");
        }

        html.AppendLine("<p>Per-second figures: <a href=\"intervals.csv\">intervals.csv</a>.</p></body></html>");
        return html.ToString();
    }

    private static string Csv(IEnumerable<IntervalSample> samples)
    {
        var csv = new StringBuilder("run,elapsed_s,phase,streams_opened,published_per_s,delivered_per_s,p50_ms,p75_ms,p95_ms,p99_ms,max_ms,errors,harness_cpu_pct,system_cpu_pct\n");
        foreach (var s in samples)
        {
            csv.AppendLine(string.Join(',',
                Quote(s.Run), F(s.ElapsedSeconds), s.Phase, s.StreamsOpened.ToString(CultureInfo.InvariantCulture), F(s.PublishedPerSecond), F(s.DeliveredPerSecond),
                F(s.P50), F(s.P75), F(s.P95), F(s.P99), F(s.Max), s.Errors.ToString(CultureInfo.InvariantCulture), F(s.HarnessCpuPercent), F(s.SystemCpuPercent)));
        }

        return csv.ToString();
    }

    private static string F(double value) => double.IsNaN(value) ? "" : value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
