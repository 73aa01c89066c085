using System.Net;
using System.Net.Sockets;

namespace TaskEvents.LocalPostgres;

/// <summary>
/// A PostgreSQL server started from the machine's binaries with pg_ctl, on a <see cref="LocalPostgresCluster"/>.
/// Used by the tests (throwaway clusters) and the benchmarks.
/// </summary>
public sealed class LocalPostgresServer : IAsyncDisposable
{
    private readonly LocalPostgresCluster _cluster;
    private bool _running;

    private LocalPostgresServer(LocalPostgresCluster cluster, int port, string password)
    {
        _cluster = cluster;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string Password { get; }

    public string DataDirectory => _cluster.DataDirectory;

    public string LogFile => Path.Combine(_cluster.DataDirectory, "postgres.log");

    /// <summary>The pid of a server running on <paramref name="dataDirectory"/> (its postmaster is alive), else null.</summary>
    public static int? RunningServerProcessId(string dataDirectory) =>
        new LocalPostgresCluster(new LocalPostgresOptions { DataDirectory = dataDirectory, BinDirectory = "" }).RunningServerProcessId;

    /// <summary>Creates the cluster if needed, starts the server and waits until it accepts connections.</summary>
    public static async Task<LocalPostgresServer> StartAsync(LocalPostgresOptions options, CancellationToken cancellationToken = default)
    {
        var cluster = new LocalPostgresCluster(options);
        var password = await cluster.PrepareAsync(cancellationToken);
        var server = new LocalPostgresServer(cluster, options.Port == 0 ? FreeTcpPort() : options.Port, password);
        await server.StartServerAsync(cancellationToken);
        return server;
    }

    public string ConnectionString(string database) => LocalPostgresCluster.ConnectionString(Port, Password, database);

    public Task CreateDatabaseAsync(string database, CancellationToken cancellationToken = default) =>
        LocalPostgresCluster.CreateDatabaseAsync(ConnectionString("postgres"), database, cancellationToken);

    /// <summary>Fast shutdown: open connections are closed, the cluster stays on disk.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!_running)
        {
            return;
        }

        await _cluster.RunAsync("pg_ctl", ["stop", "-D", _cluster.ClusterDirectory, "-m", "fast", "-w", "-t", "30"], cancellationToken);
        _running = false;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var settings = string.Join(' ', _cluster.ServerSettings(Port).Select(s => $"-c {QuoteValue(s)}"));
        await _cluster.RunAsync("pg_ctl", ["start", "-D", _cluster.ClusterDirectory, "-l", LogFile, "-w", "-t", "60", "-o", settings], cancellationToken);
        _running = true;
    }

    // pg_ctl passes -o through a shell: a value with a path in it is quoted.
    private static string QuoteValue(string setting) =>
        setting.Split('=', 2) is [var name, var value] && value.Contains('/', StringComparison.Ordinal) ? $"{name}='{value}'" : setting;

    /// <summary>Asks the OS for a port nobody uses right now.</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
