using System.Net;

namespace TaskEvents.Api.Tests;

public sealed class OrderingTests : ApiTestBase
{
    private const int Appenders = 8;
    private const int EventsPerAppender = 60;
    private const int Total = Appenders * EventsPerAppender;

    [Fact]
    public async Task Concurrent_appenders_and_streaming_readers_see_every_seq_once_in_order()
    {
        await Client.CreateTaskAsync("busy");
        var timeout = Within(60);
        var earlyReaders = new[] { "batch_size=1", "batch_size=7&flush_interval=0.1", "batch_size=100&flush_interval=0.1" }
            .Select(query => ReadAllAsync(query, timeout)).ToList();

        var appenders = Enumerable.Range(0, Appenders).Select(async appender =>
        {
            using var client = Api.CreateHttpClient();
            for (var i = 0; i < EventsPerAppender; i++)
            {
                await client.PostJsonAsync("/api/tasks/busy/events", new { event_type = "step", actor = $"appender-{appender}" }, HttpStatusCode.Created);
            }
        }).ToList();

        // One reader joins mid-flight: it catches up from the database, then follows live.
        await Poll.UntilAsync(async () => (await Client.GetJsonAsync("/api/tasks/busy")).GetProperty("last_seq").GetInt64() >= Total / 3,
            TimeSpan.FromSeconds(30), "a third of the events");
        var lateReader = ReadAllAsync("batch_size=10&flush_interval=0.1", timeout);

        await Task.WhenAll(appenders);
        foreach (var seqs in await Task.WhenAll([.. earlyReaders, lateReader]))
        {
            Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), seqs);
        }
    }

    private async Task<List<long>> ReadAllAsync(string query, CancellationToken timeout)
    {
        using var client = Api.CreateHttpClient();
        using var stream = await SseWireReader.OpenAsync(client, $"/sse/tasks/busy/events?{query}", cancellationToken: timeout);
        var events = await stream.ReadEventsAsync(Total, timeout);
        return events.Select(e => e.GetProperty("seq").GetInt64()).ToList();
    }
}
