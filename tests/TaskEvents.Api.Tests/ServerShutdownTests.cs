using System.Diagnostics;
using System.Text.Json;
using Npgsql;

namespace TaskEvents.Api.Tests;

public sealed class ServerShutdownTests
{
    [Fact]
    public async Task Stopping_the_server_sends_reconnect_to_every_stream_and_stops_promptly()
    {
        var api = await ApiHost.StartAsync();
        using var client = api.CreateHttpClient();
        await client.CreateTaskAsync("t1");
        await client.AppendAsync("t1", "a", "b");
        var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
        using var first = await SseWireReader.OpenAsync(client, "/sse/tasks/t1/events?batch_size=1", cancellationToken: timeout);
        using var second = await SseWireReader.OpenAsync(client, "/sse/tasks/t1/events?batch_size=1", lastEventId: "1", cancellationToken: timeout);
        await first.ReadEventsAsync(2, timeout);
        await second.ReadEventsAsync(1, timeout);

        var stopping = Stopwatch.StartNew();
        var stopped = api.DisposeAsync().AsTask();
        var goodbyes = new[] { await first.ReadDataFrameAsync(timeout), await second.ReadDataFrameAsync(timeout) };
        await stopped;

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopping.Elapsed}");
        foreach (var goodbye in goodbyes)
        {
            var message = JsonElement.Parse(goodbye!.Data!);
            Assert.Equal("reconnect", message.GetProperty("type").GetString());
            Assert.Equal("server_shutdown", message.GetProperty("reason").GetString());
            Assert.Equal(2, message.GetProperty("last_seq").GetInt64());
        }
    }

    [Fact]
    public async Task Stopping_the_server_while_a_stream_waits_on_the_database_sends_reconnect_at_once()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync();
        var api = await ApiHost.StartAsync(connectionString);
        using var client = api.CreateHttpClient();
        await client.CreateTaskAsync("t1");
        await client.AppendAsync("t1", "a", "b");

        // A transaction holding the events table makes the stream's catch-up read wait, as a stalled database would.
        await using var blocker = new NpgsqlConnection(connectionString);
        await blocker.OpenAsync();
        await using var locked = await blocker.BeginTransactionAsync();
        await using (var lockEvents = new NpgsqlCommand("LOCK TABLE events IN ACCESS EXCLUSIVE MODE", blocker, locked))
        {
            await lockEvents.ExecuteNonQueryAsync();
        }

        var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
        using var stream = await SseWireReader.OpenAsync(client, "/sse/tasks/t1/events?batch_size=1", cancellationToken: timeout);
        await Poll.UntilAsync(() => SessionsWaitingOnLockAsync(connectionString), TimeSpan.FromSeconds(30), "the stream's catch-up read waits on the lock");

        var stopping = Stopwatch.StartNew();
        var stopped = api.DisposeAsync().AsTask();
        var goodbye = await stream.ReadDataFrameAsync(timeout);
        await stopped;

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopping.Elapsed}");
        Assert.NotNull(goodbye);
        var message = JsonElement.Parse(goodbye.Data!);
        Assert.Equal("reconnect", message.GetProperty("type").GetString());
        Assert.Equal("server_shutdown", message.GetProperty("reason").GetString());
        Assert.Equal(0, message.GetProperty("last_seq").GetInt64());
    }

    private static async Task<bool> SessionsWaitingOnLockAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return (long)(await waiting.ExecuteScalarAsync())! > 0;
    }
}
