using TaskEvents.LocalPostgres;

namespace TaskEvents.Testing;

/// <summary>
/// One throwaway PostgreSQL server per test process (initdb in a temp folder, free port), stopped and
/// deleted when the process exits. Each test gets a database of its own, so tests never see each other's data.
/// </summary>
public static class SharedPostgres
{
    private static readonly Lazy<Task<LocalPostgresServer>> Server = new(StartAsync);
    private static int _databaseCounter;

    public static Task<LocalPostgresServer> GetServerAsync() => Server.Value;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await Server.Value;
        var name = $"test_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}";
        await server.CreateDatabaseAsync(name);
        return server.ConnectionString(name);
    }

    private static async Task<LocalPostgresServer> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"taskevents-test-pg-{Guid.NewGuid():N}");
        var server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { DataDirectory = directory, Durable = false });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            server.StopAsync().GetAwaiter().GetResult();
            Directory.Delete(directory, recursive: true);
        };
        return server;
    }
}
