using System.Net;

namespace TaskEvents.Gateway.Tests;

/// <summary>
/// The gateway reaches the Api over HTTP/2 without TLS (h2c): many streams share one upstream connection, so a
/// stream costs the gateway one client socket instead of two, and a closed client stream is cancelled upstream.
/// These are proxied streams (fan-out off); a shared stream's upstream is in FanOutTests.
/// </summary>
public sealed class UpstreamProtocolTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Streams_and_rest_calls_share_one_http2_connection_to_the_api()
    {
        await using var api = await ApiHost.StartAsync();
        // Proxied streams: every request the Api sees is one a client sent (no health probes, no shared stream).
        await using var gateway = await GatewayHost.StartAsync(api, GatewayHost.ProxyingEveryStream(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:api:HealthCheck:Active:Enabled"] = "false",
        }));
        var clients = Enumerable.Range(0, 3).Select(_ => gateway.CreateHttpClient()).ToList();
        var streams = new List<SseWireReader>();
        try
        {
            await clients[0].CreateTaskAsync("shared");
            foreach (var client in clients)
            {
                var stream = await SseWireReader.OpenAsync(client, "/sse/tasks/shared/events");
                Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
                streams.Add(stream);
            }

            var forwarded = api.ReceivedRequests.Where(r => r.Path.StartsWith("/sse/", StringComparison.Ordinal) || r.Path.StartsWith("/api/", StringComparison.Ordinal)).ToList();
            Assert.Equal(4, forwarded.Count);
            Assert.All(forwarded, r => Assert.Equal("HTTP/2", r.Protocol));
            Assert.Single(forwarded.Select(r => r.ConnectionId).Distinct());
        }
        finally
        {
            streams.ForEach(s => s.Dispose());
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task A_client_closing_its_stream_ends_the_upstream_stream_while_the_connection_stays()
    {
        await using var api = await ApiHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(api, GatewayHost.ProxyingEveryStream());
        using var producer = gateway.CreateHttpClient();
        await producer.CreateTaskAsync("closing");
        using var stayingClient = gateway.CreateHttpClient();
        using var staying = await SseWireReader.OpenAsync(stayingClient, "/sse/tasks/closing/events?batch_size=1");
        using (var leavingClient = gateway.CreateHttpClient())
        {
            var leaving = await SseWireReader.OpenAsync(leavingClient, "/sse/tasks/closing/events?batch_size=1");
            await Poll.UntilAsync(async () => await Replicas.OpenStreamsAsync(api) == 2, Timeout, "both streams open on the Api");
            leaving.Dispose();
        }

        await Poll.UntilAsync(async () => await Replicas.OpenStreamsAsync(api) == 1, Timeout, "the closed stream ends on the Api");

        await producer.AppendAsync("closing", "after.close");
        using var timeout = new CancellationTokenSource(Timeout);
        var events = await staying.ReadEventsAsync(1, timeout.Token);
        Assert.Equal("after.close", events[0].GetProperty("event_type").GetString());
    }
}
