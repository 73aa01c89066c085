namespace TaskEvents.AppHost.Hosting;

/// <summary>A database on a <see cref="PostgresServerResource"/>, created on first run.</summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource server) : IResourceWithConnectionString
{
    public string Name { get; } = name;

    public string DatabaseName { get; } = databaseName;

    public PostgresServerResource Server { get; } = server;

    public string? GetConnectionString() => Server.ConnectionStringFactory?.Invoke(DatabaseName);
}
