namespace TaskEvents.LocalPostgres;

/// <summary>Finds the PostgreSQL server binaries (initdb, pg_ctl) on this machine.</summary>
public static class PostgresBinaries
{
    /// <summary>Environment variable that names the folder holding initdb and pg_ctl, overriding the search.</summary>
    public const string OverrideVariable = "PG_BIN";

    public static string Locate()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }

        // Debian keeps one folder per major version; prefer the newest.
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            candidates.AddRange(Directory.GetDirectories(debianRoot)
                .Select(dir => (Dir: dir, Version: int.TryParse(Path.GetFileName(dir), out var v) ? v : 0))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Dir, "bin")));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));

        return candidates.FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            ?? throw new InvalidOperationException(
                $"PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them with `apt-get install -y postgresql` " +
                $"or set {OverrideVariable} to the folder that holds them.");
    }
}
