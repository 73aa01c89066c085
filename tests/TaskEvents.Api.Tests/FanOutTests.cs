using Npgsql;

namespace TaskEvents.Api.Tests;

public sealed class FanOutTests
{
    private static CancellationToken Within(int seconds = 20) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    [Fact]
    public async Task Two_api_processes_on_one_database_deliver_each_others_appends()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync();
        // Started together: the migrations must not trip over each other.
        var hosts = await Task.WhenAll(Task.Run(() => ApiHost.StartAsync(connectionString)), Task.Run(() => ApiHost.StartAsync(connectionString)));
        await using var a = hosts[0];
        await using var b = hosts[1];
        using var clientA = a.CreateHttpClient();
        using var clientB = b.CreateHttpClient();
        await clientA.CreateTaskAsync("shared");

        using var onB = await SseWireReader.OpenAsync(clientB, "/sse/tasks/shared/events?batch_size=1", cancellationToken: Within());
        using var onA = await SseWireReader.OpenAsync(clientA, "/sse/tasks/shared/events?batch_size=1", cancellationToken: Within());
        await clientA.AppendAsync("shared", "from_a");
        await clientB.AppendAsync("shared", "from_b");

        foreach (var stream in new[] { onA, onB })
        {
            var events = await stream.ReadEventsAsync(2, Within());
            Assert.Equal(["from_a", "from_b"], events.Select(e => e.GetProperty("event_type").GetString()));
        }
    }

    [Fact]
    public async Task When_the_listen_connection_is_killed_events_arrive_by_polling_then_by_listen_again()
    {
        await using var api = await ApiHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Sse:PollInterval"] = "0.05",
            ["Sse:MaxPollInterval"] = "3.0",
        });
        using var client = api.CreateHttpClient();
        await client.CreateTaskAsync("t1");
        using var stream = await SseWireReader.OpenAsync(client, "/sse/tasks/t1/events?batch_size=1", cancellationToken: Within());
        await ListenerModeAsync(client, "listening");

        await using (var admin = new NpgsqlConnection(api.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'taskevents-listener' AND datname = current_database()", admin);
            Assert.Equal(1L, await kill.ExecuteScalarAsync());
        }

        await ListenerModeAsync(client, "polling");
        await client.AppendAsync("t1", "while_polling");
        var polled = await stream.ReadEventsAsync(1, Within());
        // LISTEN is retried only every MaxPollInterval (3 s): this event came by polling.
        Assert.Equal("polling", (await client.GetJsonAsync("/sse/health")).GetProperty("listener").GetString());

        await ListenerModeAsync(client, "listening");
        await client.AppendAsync("t1", "after_listen_is_back");
        var listened = await stream.ReadEventsAsync(1, Within());

        Assert.Equal("while_polling", polled[0].GetProperty("event_type").GetString());
        Assert.Equal("after_listen_is_back", listened[0].GetProperty("event_type").GetString());
        Assert.Equal(2, listened[0].GetProperty("seq").GetInt64());
    }

    private static Task ListenerModeAsync(HttpClient client, string mode) =>
        Poll.UntilAsync(async () => (await client.GetJsonAsync("/sse/health")).GetProperty("listener").GetString() == mode,
            TimeSpan.FromSeconds(15), $"listener mode {mode}");
}
