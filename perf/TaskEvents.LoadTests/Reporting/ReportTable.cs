namespace TaskEvents.LoadTests.Reporting;

/// <summary>A titled table of a report (Markdown table, HTML table, console table).</summary>
internal sealed record ReportTable(string Title, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows);
