using Npgsql;
using TaskEvents.Api.ChangeFeed;

namespace TaskEvents.Api.Tests;

/// <summary>
/// The writer's connection keeps one plan of append_events for its life, made at its first batch, often on nearly empty
/// tables. That plan must still read tasks and events by key once they have grown: a sequential scan chosen on the empty
/// tables reads the whole table on every later call (what the W1 load test found: 20 ms a batch instead of 5).
/// </summary>
public sealed class AppendPlanTests
{
    private static CancellationToken Within(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    [Fact]
    public async Task Appends_planned_on_empty_tables_read_tasks_and_events_by_key_after_the_tables_grow()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync();
        await (await ApiHost.StartAsync(connectionString)).DisposeAsync(); // The Api's own migrations.
        await using var writer = new NpgsqlConnection(connectionString);
        await writer.OpenAsync(Within());
        await SqlStatements.ExecuteAsync(writer, $"INSERT INTO tasks (tenant_id, task_id) VALUES ('{TestTokens.DefaultTenant}', 'planned')");
        await AppendAsync(writer); // Plans made now, with one task and no events.

        await SqlStatements.ExecuteAsync(writer, $"""
            INSERT INTO tasks (tenant_id, task_id) SELECT '{TestTokens.DefaultTenant}', 'grown-' || t FROM generate_series(1, 200) t;
            INSERT INTO events (tenant_id, task_id, seq, event_id, event_type, created_at)
            SELECT '{TestTokens.DefaultTenant}', 'grown-' || t, s, 'e-' || t || '-' || s, 'progress', now()
            FROM generate_series(1, 200) t, generate_series(1, 100) s;
            """);
        var plans = new List<string>();
        writer.Notice += (_, args) => plans.Add(args.Notice.MessageText);
        await SqlStatements.ExecuteAsync(writer, """
            LOAD 'auto_explain';
            SET auto_explain.log_min_duration = 0;
            SET auto_explain.log_nested_statements = on;
            SET auto_explain.log_level = notice;
            """);
        await AppendAsync(writer);

        Assert.Contains(plans, plan => plan.Contains("INSERT INTO events", StringComparison.Ordinal));
        Assert.Contains(plans, plan => plan.Contains("Index Scan using tasks_pkey", StringComparison.Ordinal));
        Assert.DoesNotContain(plans, plan => plan.Contains("Seq Scan on events", StringComparison.Ordinal)
            || plan.Contains("Seq Scan on tasks", StringComparison.Ordinal));
    }

    /// <summary>One event for the task "planned", as the writer calls append_events (with a traceparent).</summary>
    private static async Task AppendAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT seq FROM append_events(ARRAY[1], ARRAY['{TestTokens.DefaultTenant}'], ARRAY['planned'], ARRAY['{Guid.NewGuid():N}'], ARRAY['progress'],
                ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY['{"{}"}'], ARRAY[NULL]::text[],
                '{TaskChangeNotification.Channel}', {TaskChangeNotification.MaxPayloadBytes},
                ARRAY['00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'])
            """, connection);
        Assert.NotNull(await command.ExecuteScalarAsync(Within()));
    }
}
