using Npgsql;

namespace TaskEvents.Api.Tests;

/// <summary>Raw SQL for tests that set up or inspect the database below the Api (migrations, plans).</summary>
internal static class SqlStatements
{
    /// <summary>Runs the statements, within 30 s.</summary>
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(timeout.Token);
    }
}
