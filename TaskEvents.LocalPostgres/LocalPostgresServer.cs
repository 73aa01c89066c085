using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace TaskEvents.LocalPostgres;

/// <summary>
/// A PostgreSQL server started from the machine's binaries: initdb on first use, pg_ctl to start and stop.
/// Used by the tests (throwaway clusters) and by the AppHost (a persistent one).
/// </summary>
public sealed class LocalPostgresServer : IAsyncDisposable
{
    private const string PasswordFileName = "taskevents.password";
    private const string SuperUser = "postgres";

    private readonly LocalPostgresOptions _options;
    private readonly string _binDirectory;
    private readonly string? _runAsUser;
    private bool _running;

    private LocalPostgresServer(LocalPostgresOptions options, string binDirectory, string? runAsUser, int port, string password)
    {
        _options = options;
        _binDirectory = binDirectory;
        _runAsUser = runAsUser;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string Password { get; }

    public string DataDirectory => _options.DataDirectory;

    private string ClusterDirectory => Path.Combine(_options.DataDirectory, "cluster");

    private string SocketDirectory => Path.Combine(_options.DataDirectory, "socket");

    public string LogFile => Path.Combine(_options.DataDirectory, "postgres.log");

    /// <summary>The postmaster's pid while the server runs (from <c>postmaster.pid</c>), else null.</summary>
    public int? ServerProcessId => ReadServerProcessId(ClusterDirectory);

    /// <summary>
    /// Stops a server still running on <paramref name="options"/>' data directory, left by a process that was killed
    /// before it could stop it. Returns the pid it stopped, or null when none was running.
    /// </summary>
    public static async Task<int?> StopLeftoverAsync(LocalPostgresOptions options, CancellationToken cancellationToken = default)
    {
        if (RunningServerProcessId(options.DataDirectory) is not { } pid)
        {
            return null;
        }

        var cluster = Path.Combine(options.DataDirectory, "cluster");
        var runAsUser = Environment.UserName == "root" ? options.ServiceUser : null;
        await ProcessRunner.RunAsync(Path.Combine(options.BinDirectory ?? PostgresBinaries.Locate(), "pg_ctl"), ["stop", "-D", cluster, "-m", "fast", "-w", "-t", "30"], runAsUser, cancellationToken);
        return pid;
    }

    /// <summary>The pid of a server running on <paramref name="dataDirectory"/> (its postmaster is alive), else null.</summary>
    public static int? RunningServerProcessId(string dataDirectory) =>
        ReadServerProcessId(Path.Combine(dataDirectory, "cluster")) is { } pid && Directory.Exists($"/proc/{pid}") ? pid : null;

    private static int? ReadServerProcessId(string clusterDirectory)
    {
        try
        {
            var firstLine = File.ReadLines(Path.Combine(clusterDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(firstLine, out var pid) ? pid : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Creates the cluster if needed, starts the server and waits until it accepts connections.</summary>
    public static async Task<LocalPostgresServer> StartAsync(LocalPostgresOptions options, CancellationToken cancellationToken = default)
    {
        var binDirectory = options.BinDirectory ?? PostgresBinaries.Locate();
        var runAsUser = Environment.UserName == "root" ? options.ServiceUser : null;
        var port = options.Port == 0 ? FreeTcpPort() : options.Port;

        Directory.CreateDirectory(options.DataDirectory);
        var password = ReadOrCreatePassword(options.DataDirectory);
        var server = new LocalPostgresServer(options, binDirectory, runAsUser, port, password);
        await server.InitializeClusterAsync(cancellationToken);
        await server.StartServerAsync(cancellationToken);
        return server;
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = Password,
        Database = database,
    }.ConnectionString;

    public async Task CreateDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = database } },
        };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Fast shutdown: open connections are closed, the cluster stays on disk.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!_running)
        {
            return;
        }

        await PgCtlAsync(["stop", "-D", ClusterDirectory, "-m", "fast", "-w", "-t", "30"], cancellationToken);
        _running = false;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task InitializeClusterAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(SocketDirectory);
        await GiveToServiceUserAsync(_options.DataDirectory, cancellationToken);
        if (File.Exists(Path.Combine(ClusterDirectory, "PG_VERSION")))
        {
            return;
        }

        var passwordFile = Path.Combine(_options.DataDirectory, PasswordFileName);
        await ProcessRunner.RunAsync(Path.Combine(_binDirectory, "initdb"),
            ["-D", ClusterDirectory, "-U", SuperUser, "--pwfile", passwordFile, "--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C", "--no-instructions"],
            _runAsUser, cancellationToken);
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var settings = new List<string>
        {
            $"-p {Port}",
            "-c listen_addresses=127.0.0.1",
            $"-c unix_socket_directories='{SocketDirectory}'",
            $"-c max_connections={_options.MaxConnections}",
        };
        if (!_options.Durable)
        {
            settings.Add("-c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }

        await PgCtlAsync(["start", "-D", ClusterDirectory, "-l", LogFile, "-w", "-t", "60", "-o", string.Join(' ', settings)], cancellationToken);
        _running = true;
    }

    private Task<string> PgCtlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(Path.Combine(_binDirectory, "pg_ctl"), arguments, _runAsUser, cancellationToken);

    private async Task GiveToServiceUserAsync(string directory, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The local PostgreSQL launcher runs on Linux and macOS.");
        }

        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (_runAsUser is not null)
        {
            // The server checks that it owns its folders; tests and the AppHost create them as root.
            await ProcessRunner.RunAsync("chown", ["-R", $"{_runAsUser}:", directory], null, cancellationToken);
        }
    }

    private static string ReadOrCreatePassword(string dataDirectory)
    {
        var passwordFile = Path.Combine(dataDirectory, PasswordFileName);
        if (File.Exists(passwordFile))
        {
            return File.ReadAllText(passwordFile).Trim();
        }

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(passwordFile, password);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return password;
    }

    /// <summary>Asks the OS for a port nobody uses right now.</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
