using Npgsql;
using TaskEvents.Api.ChangeFeed;
using TaskEvents.Api.Storage;

namespace TaskEvents.Api.Tests;

/// <summary>A database made before a migration upgrades in place, and Api processes still on the old code keep appending.</summary>
public sealed class MigrationUpgradeTests
{
    private static CancellationToken Within(int seconds = 20) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    [Fact]
    public async Task A_database_from_before_trace_context_upgrades_and_the_old_append_call_still_works()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync();
        await using (var old = new NpgsqlConnection(connectionString))
        {
            await old.OpenAsync(Within());
            await ApplyMigrationsUpToAsync(old, 2);
            await SqlStatements.ExecuteAsync(old, $"INSERT INTO tasks (tenant_id, task_id) VALUES ('{TestTokens.DefaultTenant}', 'upgraded')");
            Assert.Equal(1L, await AppendAsBeforeAsync(old, "before"));
        }

        await using var api = await ApiHost.StartAsync(connectionString);
        using var client = api.CreateHttpClient();
        await client.AppendAsync("upgraded", "after");
        await using (var stillOld = new NpgsqlConnection(connectionString))
        {
            // An Api process not yet upgraded (a rolling upgrade) calls append_events with 0002's arguments.
            await stillOld.OpenAsync(Within());
            Assert.Equal(3L, await AppendAsBeforeAsync(stillOld, "from_an_old_process"));
        }

        using var stream = await SseWireReader.OpenAsync(client, "/sse/tasks/upgraded/events?batch_size=1", cancellationToken: Within());
        var events = await stream.ReadEventsAsync(3, Within());
        Assert.Equal(["before", "after", "from_an_old_process"], events.Select(e => e.GetProperty("event_type").GetString()));
        await using var check = new NpgsqlConnection(connectionString);
        await check.OpenAsync(Within());
        await using var traced = new NpgsqlCommand("SELECT seq FROM events WHERE trace_parent IS NOT NULL ORDER BY seq", check);
        Assert.Equal(2L, await traced.ExecuteScalarAsync(Within()));
    }

    /// <summary>What DatabaseMigrator does, with the migrations up to <paramref name="version"/> only.</summary>
    private static async Task ApplyMigrationsUpToAsync(NpgsqlConnection connection, int version)
    {
        await SqlStatements.ExecuteAsync(connection, "CREATE TABLE schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        var assembly = typeof(EventStore).Assembly;
        const string Prefix = "TaskEvents.Api.Storage.Migrations.";
        var migrations = assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order().ToList();
        foreach (var name in migrations.Take(version))
        {
            await using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            await SqlStatements.ExecuteAsync(connection, await reader.ReadToEndAsync());
            var fileName = name[Prefix.Length..^".sql".Length];
            await SqlStatements.ExecuteAsync(connection, $"INSERT INTO schema_migrations (version, name) VALUES ({int.Parse(fileName[..4], System.Globalization.CultureInfo.InvariantCulture)}, '{fileName}')");
        }

        Assert.True(migrations.Count > version, "There is a later migration to upgrade to.");
    }

    /// <summary>One event appended with migration 0002's call (thirteen arguments); returns its seq.</summary>
    private static async Task<long> AppendAsBeforeAsync(NpgsqlConnection connection, string eventType)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT seq FROM append_events(ARRAY[1], ARRAY['{TestTokens.DefaultTenant}'], ARRAY['upgraded'], ARRAY['{Guid.NewGuid():N}'], ARRAY['{eventType}'],
                ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY[NULL]::text[], ARRAY['{"{}"}'], ARRAY[NULL]::text[],
                '{TaskChangeNotification.Channel}', {TaskChangeNotification.MaxPayloadBytes})
            """, connection);
        return (long)(await command.ExecuteScalarAsync(Within()))!;
    }
}
