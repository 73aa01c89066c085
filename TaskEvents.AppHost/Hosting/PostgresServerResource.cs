namespace TaskEvents.AppHost.Hosting;

/// <summary>
/// A PostgreSQL server: the one named by <c>ConnectionStrings:&lt;database&gt;</c> in the AppHost's configuration when
/// set, otherwise a local server started from the machine's binaries with a persistent data directory.
/// </summary>
public sealed class PostgresServerResource(string name) : IResource
{
    public string Name { get; } = name;

    public List<PostgresDatabaseResource> Databases { get; } = [];

    /// <summary>Builds the connection string of one database; set once the server runs.</summary>
    internal Func<string, string>? ConnectionStringFactory { get; set; }
}
