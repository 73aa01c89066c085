namespace TaskEvents.LocalPostgres;

/// <summary>How to run a PostgreSQL server from the machine's own binaries.</summary>
public sealed record LocalPostgresOptions
{
    /// <summary>The cluster's folder; created with initdb when it holds no cluster yet.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The folder holding initdb and pg_ctl; null searches for it (<see cref="PostgresBinaries.Locate"/>).</summary>
    public string? BinDirectory { get; init; }

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Throwaway clusters (tests) trade durability for speed: no fsync, no synchronous commit.
    /// </summary>
    public bool Durable { get; init; } = true;

    public int MaxConnections { get; init; } = 300;

    /// <summary>The OS user the server runs as when the caller is root (PostgreSQL refuses to run as root).</summary>
    public string ServiceUser { get; init; } = "postgres";
}
