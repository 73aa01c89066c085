using Npgsql;
using NpgsqlTypes;
using TaskEvents.Api.Events;

namespace TaskEvents.Api.Storage;

/// <summary>Tasks and their events in PostgreSQL. Appends serialize on the task row and NOTIFY (with the events) in the same transaction.</summary>
public sealed class EventStore(NpgsqlDataSource dataSource)
{
    private const string EventColumns = "seq, event_id, task_id, event_type, phase, actor, span_id, parent_span_id, payload::text, created_at";
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
    /// Appends several requests' events to one task in one transaction. Each request is atomic on its own:
    /// it is stored whole, or gets the reason it was not. Events whose event_id the task already has are not
    /// stored again; their stored seq is returned instead, so a retried request is harmless.
    /// </summary>
    public async Task<AppendOutcome[]> AppendAsync(TaskKey key, IReadOnlyList<IReadOnlyList<NewEvent>> requests, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The row lock orders appends to one task: seq N+1 cannot commit before seq N.
        await using var lookup = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new("SELECT last_seq, status FROM tasks WHERE tenant_id = $1 AND task_id = $2 FOR UPDATE")
                {
                    Parameters = { new() { Value = key.TenantId }, new() { Value = key.TaskId } },
                },
                new("SELECT event_id, seq FROM events WHERE tenant_id = $1 AND task_id = $2 AND event_id = ANY($3)")
                {
                    Parameters =
                    {
                        new() { Value = key.TenantId },
                        new() { Value = key.TaskId },
                        new() { Value = requests.SelectMany(r => r).Select(e => e.EventId).Distinct().ToArray() },
                    },
                },
            },
        };

        var round = new AppendRound();
        await using (var reader = await lookup.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return [.. requests.Select(_ => new AppendOutcome.TaskNotFound())];
            }

            round.Start(reader.GetInt64(0), reader.GetString(1));
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                round.KnowStored(reader.GetString(0), reader.GetInt64(1));
            }
        }

        var outcomes = requests.Select(round.Add).ToArray();
        if (round.Fresh.Count == 0)
        {
            return outcomes;
        }

        var fresh = round.Fresh;
        await using var write = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                // The notification carries the stored events themselves (as a read would return them), so listeners
                // deliver without reading them back; when that would pass NOTIFY's 8000-byte limit, only the new seq.
                new($$"""
                    WITH inserted AS (
                        INSERT INTO events (tenant_id, task_id, seq, event_id, event_type, phase, actor, span_id, parent_span_id, payload, created_at)
                        SELECT $1, $2, $3 + e.ordinal - 1, e.event_id, e.event_type, e.phase, e.actor, e.span_id, e.parent_span_id, e.payload::jsonb, clock_timestamp()
                        FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
                             WITH ORDINALITY AS e(event_id, event_type, phase, actor, span_id, parent_span_id, payload, ordinal)
                        RETURNING seq, event_id, event_type, phase, actor, span_id, parent_span_id, payload::text AS payload,
                                  (extract(epoch FROM created_at) * 1000000)::bigint AS created_at_us
                    ),
                    change AS (
                        SELECT json_build_object('tenant', $1::text, 'task', $2::text, 'seq', $11::bigint)::text AS brief,
                               json_build_object('tenant', $1::text, 'task', $2::text, 'seq', $11::bigint, 'events',
                                   (SELECT json_agg(json_build_array(seq, event_id, event_type, phase, actor, span_id, parent_span_id, payload, created_at_us) ORDER BY seq)
                                    FROM inserted))::text AS whole
                    )
                    SELECT pg_notify('{{TaskChangeNotification.Channel}}', CASE WHEN octet_length(whole) <= {{TaskChangeNotification.MaxPayloadBytes}} THEN whole ELSE brief END)
                    FROM change
                    """)
                {
                    Parameters =
                    {
                        new() { Value = key.TenantId },
                        new() { Value = key.TaskId },
                        new() { Value = round.FirstFreshSeq },
                        TextArray(fresh.Select(e => e.EventId)),
                        TextArray(fresh.Select(e => e.EventType)),
                        TextArray(fresh.Select(e => e.Phase)),
                        TextArray(fresh.Select(e => e.Actor)),
                        TextArray(fresh.Select(e => e.SpanId)),
                        TextArray(fresh.Select(e => e.ParentSpanId)),
                        TextArray(fresh.Select(e => e.PayloadJson)),
                        new() { Value = round.LastSeq },
                    },
                },
                new("UPDATE tasks SET last_seq = $3, status = $4 WHERE tenant_id = $1 AND task_id = $2")
                {
                    Parameters = { new() { Value = key.TenantId }, new() { Value = key.TaskId }, new() { Value = round.LastSeq }, new() { Value = round.Status } },
                },
            },
        };
        await write.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return outcomes;
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
            events.Add(StoredEventSerializer.Serialize(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), NullableString(reader, 4),
                NullableString(reader, 5), NullableString(reader, 6), NullableString(reader, 7), reader.GetString(8), reader.GetDateTime(9)));
        }

        return events;
    }

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

    private static async Task<TaskRecord?> ReadTaskAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new TaskRecord(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetDateTime(3), NullableString(reader, 4));
    }

    private static NpgsqlParameter TextArray(IEnumerable<string?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
