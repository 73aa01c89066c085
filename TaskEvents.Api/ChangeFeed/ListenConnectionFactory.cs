using Npgsql;

namespace TaskEvents.Api.ChangeFeed;

/// <summary>
/// Opens the LISTEN connection outside the pool (a pooled connection would be reset, dropping LISTEN)
/// with keepalives, so a silently dead network is noticed.
/// </summary>
public sealed class ListenConnectionFactory(string connectionString)
{
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        Pooling = false,
        KeepAlive = 5,
        ApplicationName = "taskevents-listener",
    }.ConnectionString;

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
