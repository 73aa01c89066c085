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

    private const string DirectoryPrefix = "taskevents-test-pg-";

    /// <summary>A leftover younger than this may belong to a test process still creating its cluster.</summary>
    private static readonly TimeSpan LeftoverAge = TimeSpan.FromMinutes(10);

    /// <summary>Beside each cluster: the test process it belongs to, so a later run can tell an orphan from a neighbour's.</summary>
    private const string OwnerFile = "owner.pid";

    private static async Task<LocalPostgresServer> StartAsync()
    {
        StopOrphans();
        DeleteLeftovers();
        var directory = Path.Combine(Path.GetTempPath(), $"{DirectoryPrefix}{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, OwnerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { DataDirectory = directory, Durable = false });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            server.StopAsync().GetAwaiter().GetResult();
            Directory.Delete(directory, recursive: true);
        };
        return server;
    }

    /// <summary>
    /// Stops the servers of earlier test processes that were killed before their exit handler ran (a cancelled or timed-out
    /// run): a running cluster whose owner process is gone. PostgreSQL's fast shutdown (SIGINT); the directory goes with
    /// the leftovers once it has aged.
    /// </summary>
    private static void StopOrphans()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), $"{DirectoryPrefix}*"))
        {
            if (LocalPostgresServer.RunningServerProcessId(directory) is { } postmaster
                && File.Exists(Path.Combine(directory, OwnerFile))
                && int.TryParse(File.ReadAllText(Path.Combine(directory, OwnerFile)), out var owner)
                && !LinuxProcesses.Alive(owner))
            {
                LinuxProcesses.Signal("INT", postmaster);
            }
        }
    }

    /// <summary>
    /// Deletes the clusters of earlier test processes that did not get to delete their own (a test host can be ended
    /// before its exit handler finishes): those with no server running and untouched for a while. Without this, each
    /// test run left up to a gigabyte in the temp folder.
    /// </summary>
    private static void DeleteLeftovers()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), $"{DirectoryPrefix}*"))
        {
            if (LocalPostgresServer.RunningServerProcessId(directory) is null
                && DateTime.UtcNow - Directory.GetLastWriteTimeUtc(directory) > LeftoverAge)
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Another test process is deleting it too, or it is not ours to delete: leave it.
                }
            }
        }
    }
}
