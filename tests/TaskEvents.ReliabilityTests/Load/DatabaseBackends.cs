using Npgsql;

namespace TaskEvents.ReliabilityTests.Load;

/// <summary>PostgreSQL's side of the Apis' connections, for the faults that cut them.</summary>
internal static class DatabaseBackends
{
    /// <summary>
    /// Terminates (<c>pg_terminate_backend</c>) every connection to <paramref name="database"/>'s database but the caller's,
    /// or only those of <paramref name="applicationName"/>; returns how many there were.
    /// </summary>
    public static async Task<int> TerminateAsync(string database, string? applicationName = null)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var terminate = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity " +
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND (@application IS NULL OR application_name = @application)",
            connection);
        terminate.Parameters.Add(new NpgsqlParameter<string?>("application", NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = applicationName });
        return (int)(long)(await terminate.ExecuteScalarAsync())!;
    }
}
