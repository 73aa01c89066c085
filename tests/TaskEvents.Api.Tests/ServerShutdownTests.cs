using System.Diagnostics;
using System.Text.Json;

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
}
