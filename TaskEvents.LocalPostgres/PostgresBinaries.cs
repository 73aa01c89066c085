namespace TaskEvents.LocalPostgres;

/// <summary>Finds the PostgreSQL server binaries (initdb, pg_ctl) on this machine.</summary>
public static class PostgresBinaries
{
    /// <summary>Environment variable that names the folder holding initdb and pg_ctl, overriding the search.</summary>
    public const string OverrideVariable = "PG_BIN";

    /// <summary>
    /// The folder named by <paramref name="configured"/> (else <c>PG_BIN</c>) when set, and only that one: a folder
    /// someone named on purpose is never silently swapped for another. Otherwise Debian's folders, newest first, then PATH.
    /// </summary>
    public static string Locate(string? configured = null)
    {
        configured = string.IsNullOrWhiteSpace(configured) ? Environment.GetEnvironmentVariable(OverrideVariable) : configured;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HoldsServer(configured)
                ? configured
                : throw new InvalidOperationException(
                    $"{OverrideVariable} names {configured}, which holds no initdb and pg_ctl: point it at the folder that does, or unset it to search the usual places.");
        }

        var candidates = new List<string>();

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

        return candidates.FirstOrDefault(HoldsServer)
            ?? throw new InvalidOperationException(
                $"PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them with `apt-get install -y postgresql` " +
                $"or set {OverrideVariable} to the folder that holds them.");
    }

    private static bool HoldsServer(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));
}
