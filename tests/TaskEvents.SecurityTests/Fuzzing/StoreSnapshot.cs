using Npgsql;

namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>Every row of the event store as text, keyed by tenant, task and seq, to compare before and after.</summary>
public static class StoreSnapshot
{
    public static async Task<SortedDictionary<string, string>> TakeAsync(string connectionString)
    {
        var rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var tasks = new NpgsqlCommand("SELECT tenant_id, task_id, status, created_at::text, last_seq, metadata::text FROM tasks", connection))
        await using (var reader = await tasks.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows[TaskKey(reader.GetString(0), reader.GetString(1))] =
                    $"{reader.GetString(2)} {reader.GetString(3)} last_seq={reader.GetInt64(4)} {(reader.IsDBNull(5) ? "null" : reader.GetString(5))}";
            }
        }

        await using (var events = new NpgsqlCommand(
            "SELECT tenant_id, task_id, seq, row(event_id, event_type, phase, actor, span_id, parent_span_id, payload, created_at)::text FROM events", connection))
        await using (var reader = await events.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows[$"event {reader.GetString(0)}/{reader.GetString(1)}/{reader.GetInt64(2):D12}"] = reader.GetString(3);
            }
        }

        return rows;
    }

    public static string TaskKey(string tenant, string taskId) => $"task {tenant}/{taskId}";
}
