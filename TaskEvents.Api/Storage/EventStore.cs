using Npgsql;
using NpgsqlTypes;
using TaskEvents.Api.ChangeFeed;
using TaskEvents.Api.Events;
using TaskEvents.Api.Observability;
using TaskEvents.Api.Wire;

namespace TaskEvents.Api.Storage;

/// <summary>Tasks and their events in PostgreSQL. Appends serialize on the task rows and NOTIFY (with the events) in the same transaction.</summary>
public sealed class EventStore(NpgsqlDataSource dataSource) : ITaskEventReader
{
    /// <summary>An event's fields in <see cref="EventFieldOrder"/>, then its append trace context.</summary>
    private const string EventColumns = EventFieldOrder.Columns + ", trace_parent";
    private const int TraceParentColumn = EventFieldOrder.Count;
    private const string TaskColumns = "task_id, status, last_seq, created_at, metadata::text";

    /// <summary>Creates the task, or returns null when the tenant already has a task with that id.</summary>
    public async Task<TaskRecord?> CreateTaskAsync(TaskKey key, string? metadataJson, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO tasks (tenant_id, task_id, metadata) VALUES ($1, $2, $3::jsonb) ON CONFLICT DO NOTHING RETURNING {TaskColumns}");
        command.Parameters.Add(new() { Value = key.TenantId });
        command.Parameters.Add(new() { Value = key.TaskId });
        command.Parameters.Add(new() { Value = (object?)metadataJson ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await ReadTaskAsync(command, cancellationToken);
    }

    public async Task<TaskRecord?> GetTaskAsync(TaskKey key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {TaskColumns} FROM tasks WHERE tenant_id = $1 AND task_id = $2");
        command.Parameters.Add(new() { Value = key.TenantId });
        command.Parameters.Add(new() { Value = key.TaskId });
        return await ReadTaskAsync(command, cancellationToken);
    }

    /// <summary>
    /// Appends a batch of requests, for any number of tasks, in one round trip and one commit. Each request is decided as
    /// if it had been sent alone, in the order given: stored whole (events whose event_id the task already has, or an
    /// earlier request in the batch stores, are not stored again; their seq is returned instead, so a retried request is
    /// harmless), or refused because its task does not exist or ended before it. A value the database refuses fails the
    /// whole call (<see cref="AppendWriter"/> then writes the batch without it). Runs on the writer's own connection.
    /// </summary>
    public static async Task<AppendOutcome[]> AppendAsync(NpgsqlConnection connection, IReadOnlyList<AppendRequest> requests, CancellationToken cancellationToken)
    {
        await using var command = AppendEventsCall.Create(connection, requests);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await AppendEventsCall.ReadOutcomesAsync(reader, requests, cancellationToken);
    }

    /// <summary>Events with seq greater than <paramref name="afterSeq"/>, in seq order, at most <paramref name="limit"/>.</summary>
    public async Task<List<StoredEvent>> ReadEventsAsync(TaskKey key, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {EventColumns} FROM events WHERE tenant_id = $1 AND task_id = $2 AND seq > $3 ORDER BY seq LIMIT $4");
        command.Parameters.Add(new() { Value = key.TenantId });
        command.Parameters.Add(new() { Value = key.TaskId });
        command.Parameters.Add(new() { Value = afterSeq });
        command.Parameters.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<StoredEvent>(Math.Min(limit, 256));
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(ReadEvent(reader, key.TaskId));
        }

        return events;
    }

    async Task<long> ITaskEventReader.ReadLastSeqAsync(TaskKey key, CancellationToken cancellationToken) =>
        (await GetTaskAsync(key, cancellationToken))?.LastSeq ?? 0;

    /// <summary>The current last_seq of each of the given tasks, in one query (the polling fallback).</summary>
    public async Task<Dictionary<TaskKey, long>> ReadLastSeqsAsync(IReadOnlyCollection<TaskKey> keys, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT t.tenant_id, t.task_id, t.last_seq
            FROM tasks t JOIN unnest($1::text[], $2::text[]) AS k(tenant_id, task_id)
              ON t.tenant_id = k.tenant_id AND t.task_id = k.task_id
            """);
        command.Parameters.Add(new() { Value = keys.Select(k => k.TenantId).ToArray() });
        command.Parameters.Add(new() { Value = keys.Select(k => k.TaskId).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lastSeqs = new Dictionary<TaskKey, long>(keys.Count);
        while (await reader.ReadAsync(cancellationToken))
        {
            lastSeqs[new TaskKey(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        }

        return lastSeqs;
    }

    /// <summary>The current row of an event read (<see cref="EventColumns"/>), serialized once for every reader.</summary>
    private static StoredEvent ReadEvent(NpgsqlDataReader reader, string taskId) => StoredEventSerializer.Serialize(
        reader.GetInt64(EventFieldOrder.Seq),
        reader.GetString(EventFieldOrder.EventId),
        taskId,
        reader.GetString(EventFieldOrder.EventType),
        NullableString(reader, EventFieldOrder.Phase),
        NullableString(reader, EventFieldOrder.Actor),
        NullableString(reader, EventFieldOrder.SpanId),
        NullableString(reader, EventFieldOrder.ParentSpanId),
        reader.GetString(EventFieldOrder.Payload),
        reader.GetDateTime(EventFieldOrder.CreatedAt),
        AppendTraceContext.Parse(NullableString(reader, TraceParentColumn)));

    private static async Task<TaskRecord?> ReadTaskAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new TaskRecord(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetDateTime(3), NullableString(reader, 4));
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
