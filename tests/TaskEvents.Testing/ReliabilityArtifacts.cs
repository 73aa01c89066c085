using System.Text;

namespace TaskEvents.Testing;

/// <summary>
/// The Markdown tables under <c>artifacts/reliability/</c> (git-ignored). Each test writes its rows as a fragment of
/// its own, then the table is rebuilt from every fragment under a file lock, so tests running at once, in this
/// process or another, never overwrite each other's rows.
/// </summary>
public static class ReliabilityArtifacts
{
    public static string RepositoryRoot { get; } = LinuxProcesses.RepositoryRoot();

    public static string Directory { get; } = Path.Combine(RepositoryRoot, "artifacts", "reliability");

    /// <summary>Replaces the rows <paramref name="fragment"/> contributed to <paramref name="table"/> and rebuilds the table file.</summary>
    public static string WriteRows(string table, string title, string introduction, string header, string fragment, IEnumerable<string> rows)
    {
        var fragments = Path.Combine(Directory, ".fragments", table);
        System.IO.Directory.CreateDirectory(fragments);
        using var tableLock = AcquireLock(Path.Combine(Directory, $".{table}.lock"));
        File.WriteAllLines(Path.Combine(fragments, $"{Sanitize(fragment)}.rows"), rows);

        var text = new StringBuilder();
        text.Append("# ").AppendLine(title).AppendLine().AppendLine(introduction).AppendLine().AppendLine(header);
        text.Append('|').AppendJoin('|', Enumerable.Repeat(" --- ", header.Count(c => c == '|') - 1)).AppendLine("|");
        foreach (var file in System.IO.Directory.GetFiles(fragments, "*.rows").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadAllLines(file))
            {
                text.AppendLine(line);
            }
        }

        var path = Path.Combine(Directory, $"{table}.md");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>Text safe inside a Markdown table cell.</summary>
    public static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static FileStream AcquireLock(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 200)
            {
                Thread.Sleep(50);
            }
        }
    }

    private static string Sanitize(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
