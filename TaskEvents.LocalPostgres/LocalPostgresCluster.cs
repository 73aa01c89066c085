using System.Globalization;
using System.Security.Cryptography;
using Npgsql;

namespace TaskEvents.LocalPostgres;

/// <summary>
/// A PostgreSQL cluster's folder on this machine: the cluster itself (initdb on first use), its socket folder, its
/// password, and the settings a server on it runs with. <see cref="LocalPostgresServer"/> runs it with pg_ctl (tests,
/// benchmarks); the AppHost runs the postmaster in the foreground as an Aspire resource.
/// </summary>
public sealed class LocalPostgresCluster
{
    public const string SuperUser = "postgres";
    private const string PasswordFileName = "taskevents.password";

    public LocalPostgresCluster(LocalPostgresOptions options)
    {
        Options = options;
        BinDirectory = options.BinDirectory ?? PostgresBinaries.Locate();
        RunAsUser = Environment.UserName == "root" ? options.ServiceUser : null;
    }

    public LocalPostgresOptions Options { get; }

    public string BinDirectory { get; }

    /// <summary>The OS user the server runs as (PostgreSQL refuses root), or null to run as the current user.</summary>
    public string? RunAsUser { get; }

    public string DataDirectory => Options.DataDirectory;

    public string ClusterDirectory => Path.Combine(DataDirectory, "cluster");

    public string SocketDirectory => Path.Combine(DataDirectory, "socket");

    public string PostmasterPath => Path.Combine(BinDirectory, "postgres");

    /// <summary>The pid of a server running on this cluster (its postmaster is alive), else null.</summary>
    public int? RunningServerProcessId =>
        ReadServerProcessId() is { } pid && Directory.Exists($"/proc/{pid}") ? pid : null;

    /// <summary>
    /// Creates the folders (owned by <see cref="RunAsUser"/>), the password and the cluster when they do not exist yet.
    /// Returns the superuser's password, which stays the same for the cluster's life.
    /// </summary>
    public async Task<string> PrepareAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(SocketDirectory);
        var password = ReadOrCreatePassword();
        await GiveToServiceUserAsync(cancellationToken);
        if (!File.Exists(Path.Combine(ClusterDirectory, "PG_VERSION")))
        {
            await RunAsync("initdb",
                ["-D", ClusterDirectory, "-U", SuperUser, "--pwfile", Path.Combine(DataDirectory, PasswordFileName),
                 "--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C", "--no-instructions"],
                cancellationToken);
        }

        return password;
    }

    /// <summary>The server's settings (<c>name=value</c>, each passed with <c>-c</c>): loopback only, this port, durable unless the options say not.</summary>
    public IReadOnlyList<string> ServerSettings(int port)
    {
        List<string> settings =
        [
            $"port={port.ToString(CultureInfo.InvariantCulture)}",
            "listen_addresses=127.0.0.1",
            $"unix_socket_directories={SocketDirectory}",
            $"max_connections={Options.MaxConnections.ToString(CultureInfo.InvariantCulture)}",
        ];
        if (!Options.Durable)
        {
            settings.AddRange(["fsync=off", "synchronous_commit=off", "full_page_writes=off"]);
        }

        return settings;
    }

    /// <summary>Fast shutdown of a server left running on this cluster by a process that was killed before it could stop it.</summary>
    public async Task<int?> StopLeftoverServerAsync(CancellationToken cancellationToken = default)
    {
        if (RunningServerProcessId is not { } pid)
        {
            return null;
        }

        await RunAsync("pg_ctl", ["stop", "-D", ClusterDirectory, "-m", "fast", "-w", "-t", "30"], cancellationToken);
        return pid;
    }

    /// <summary>A connection string to <paramref name="database"/> on a server of this machine's.</summary>
    public static string ConnectionString(int port, string password, string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port,
        Username = SuperUser,
        Password = password,
        Database = database,
    }.ConnectionString;

    /// <summary>Creates <paramref name="database"/> unless it exists, connecting with <paramref name="serverConnectionString"/>.</summary>
    public static async Task CreateDatabaseAsync(string serverConnectionString, string database, CancellationToken cancellationToken = default)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres" }.ConnectionString;
        await using var connection = new NpgsqlConnection(maintenance);
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

    internal Task<string> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(Path.Combine(BinDirectory, program), arguments, RunAsUser, cancellationToken);

    private int? ReadServerProcessId()
    {
        try
        {
            var firstLine = File.ReadLines(Path.Combine(ClusterDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(firstLine, out var pid) ? pid : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private async Task GiveToServiceUserAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The local PostgreSQL launcher runs on Linux and macOS.");
        }

        File.SetUnixFileMode(DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (RunAsUser is not null)
        {
            // The server checks that it owns its folders; tests and the AppHost create them as root.
            await ProcessRunner.RunAsync("chown", ["-R", $"{RunAsUser}:", DataDirectory], null, cancellationToken);
        }
    }

    /// <summary>The superuser's password, kept in the data folder (created with it on first use).</summary>
    public string ReadOrCreatePassword()
    {
        Directory.CreateDirectory(DataDirectory);
        var passwordFile = Path.Combine(DataDirectory, PasswordFileName);
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
}
