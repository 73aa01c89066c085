using Microsoft.Extensions.Configuration;
using Npgsql;
using TaskEvents.AppHost.Hosting;
using TaskEvents.LocalPostgres;

namespace TaskEvents.AppHost.Orchestration;

/// <summary>
/// Runs the PostgreSQL resource: the server named by <c>ConnectionStrings:&lt;database&gt;</c> when configured,
/// otherwise a local server from the machine's binaries (persistent, or a throwaway one for tests).
/// </summary>
internal sealed class PostgresRunner(PostgresServerResource resource, ResourceInstance instance, AppHostOptions options, IConfiguration configuration, string dataDirectory)
{
    private LocalPostgresServer? _server;
    private CancellationTokenSource? _logTail;

    public ResourceInstance Instance => instance;

    private LocalPostgresOptions LocalOptions => new()
    {
        DataDirectory = options.TemporaryDatabase ? Path.Combine(dataDirectory, "postgres-temp") : Path.Combine(dataDirectory, "postgres"),
        Durable = !options.TemporaryDatabase,
    };

    /// <summary>One line saying which server was chosen, for the console.</summary>
    public string? Choice { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        instance.Started(null);
        var external = resource.Databases.Select(d => configuration.GetConnectionString(d.Name)).FirstOrDefault(c => !string.IsNullOrWhiteSpace(c));
        if (external is not null)
        {
            await UseExistingServerAsync(external, cancellationToken);
            return;
        }

        // PG_BIN from the AppHost's configuration: the environment variable, or --PG_BIN=… on the command line.
        var configured = configuration[PostgresBinaries.OverrideVariable];
        string binaries;
        try
        {
            binaries = PostgresBinaries.Locate(configured);
        }
        catch (InvalidOperationException)
        {
            throw Fail(string.IsNullOrWhiteSpace(configured)
                ? "No PostgreSQL found: install the server (`apt-get install -y postgresql`), set PG_BIN to the folder holding initdb and pg_ctl, " +
                    "or point ConnectionStrings:taskevents at an existing server."
                : $"No PostgreSQL found in PG_BIN ({configured}): point PG_BIN at the folder holding initdb and pg_ctl (e.g. /usr/lib/postgresql/15/bin), " +
                    "unset it to search the usual places, or point ConnectionStrings:taskevents at an existing server.");
        }

        var local = LocalOptions with { BinDirectory = binaries };
        if (await LocalPostgresServer.StopLeftoverAsync(local, cancellationToken) is { } leftover)
        {
            instance.Log.Write($"[apphost] stopped PostgreSQL (pid {leftover}) left running by a previous run");
        }

        try
        {
            _server = await LocalPostgresServer.StartAsync(local, cancellationToken);
            foreach (var database in resource.Databases)
            {
                await _server.CreateDatabaseAsync(database.DatabaseName, cancellationToken);
            }
        }
        catch (InvalidOperationException ex)
        {
            throw Fail($"PostgreSQL did not start from {binaries} with data in {local.DataDirectory}: {FirstLine(ex.Message)} (see {Path.Combine(local.DataDirectory, "postgres.log")})",
                ex.Message.Split('\n').Skip(1).ToList());
        }

        var server = _server;
        resource.ConnectionStringFactory = server.ConnectionString;
        instance.Endpoint = new Uri($"tcp://127.0.0.1:{server.Port}");
        instance.Environment = new Dictionary<string, string?>
        {
            ["PGDATA"] = Path.Combine(local.DataDirectory, "cluster"),
            ["PGPORT"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGPASSWORD"] = server.Password,
            ["ConnectionStrings__taskevents"] = server.ConnectionString("taskevents"),
        };
        instance.Started(server.ServerProcessId);
        Choice = options.TemporaryDatabase
            ? $"PostgreSQL: a throwaway local server ({binaries}) on port {server.Port}, data in {local.DataDirectory}"
            : $"PostgreSQL: local server ({binaries}) on port {server.Port}, data in {local.DataDirectory} (set ConnectionStrings:taskevents to use another server)";
        _logTail = new CancellationTokenSource();
        _ = TailLogAsync(server.LogFile, _logTail.Token);
        instance.Set(ResourceState.Healthy);
    }

    public async Task StopAsync()
    {
        if (_server is not { } server)
        {
            instance.Exited(0, ResourceState.Exited);
            return;
        }

        instance.Set(ResourceState.Stopping);
        try
        {
            await server.StopAsync();
        }
        catch (InvalidOperationException ex)
        {
            // Already stopped (e.g. Ctrl+C reached the postmaster too).
            instance.Log.Write($"[apphost] pg_ctl stop: {FirstLine(ex.Message)}", isError: true);
        }

        if (_logTail is not null)
        {
            await _logTail.CancelAsync();
        }

        _server = null;
        if (options.TemporaryDatabase)
        {
            TryDelete(server.DataDirectory);
        }

        instance.Exited(0, ResourceState.Exited);
    }

    private async Task UseExistingServerAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        resource.ConnectionStringFactory = database => new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;
        instance.Endpoint = new Uri($"tcp://{builder.Host}:{builder.Port}");
        instance.Environment = new Dictionary<string, string?> { ["ConnectionStrings__taskevents"] = connectionString };
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            throw Fail($"The PostgreSQL server in ConnectionStrings:taskevents ({builder.Host}:{builder.Port}) refused the connection: {ex.Message}");
        }

        Choice = $"PostgreSQL: the configured server {builder.Host}:{builder.Port} (ConnectionStrings:taskevents)";
        instance.Set(ResourceState.Healthy);
    }

    private async Task TailLogAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(0, SeekOrigin.End);
            using var reader = new StreamReader(stream);
            while (!cancellationToken.IsCancellationRequested)
            {
                if (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    instance.Log.Write(line);
                }
                else
                {
                    await Task.Delay(500, cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // Stopped, or the log went away with a temporary cluster.
        }
    }

    private AppHostException Fail(string message, IReadOnlyList<string>? details = null)
    {
        instance.Exited(null, ResourceState.FailedToStart, message);
        return new AppHostException(message, details);
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
