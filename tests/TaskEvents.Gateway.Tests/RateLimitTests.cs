using System.Net;
using Microsoft.Extensions.Options;

namespace TaskEvents.Gateway.Tests;

/// <summary>Concurrent streams per client and in total, REST token buckets per client: 429 problem+json with Retry-After.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHost.StartAsync();
        using var client = _api.CreateHttpClient();
        await client.CreateTaskAsync("limited");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_client_over_its_stream_limit_gets_429_with_retry_after()
    {
        await using var gateway = await StartGatewayAsync(new() { ["RateLimits:StreamsPerClient"] = "2", ["RateLimits:StreamRetryAfterSeconds"] = "7" });
        using var alice = gateway.CreateHttpClient(TestTokens.Create(subject: "alice"));
        using var bob = gateway.CreateHttpClient(TestTokens.Create(subject: "bob"));
        var first = await OpenStreamAsync(alice);
        using var second = await OpenStreamAsync(alice);

        using (var third = await SseWireReader.OpenAsync(alice, "/sse/tasks/limited/events"))
        {
            await Problem.AssertAsync(third.Response, HttpStatusCode.TooManyRequests);
            Assert.Equal(TimeSpan.FromSeconds(7), third.Response.Headers.RetryAfter?.Delta);
        }

        using (await OpenStreamAsync(bob))
        {
        }

        // Closing a stream gives its slot back.
        first.Dispose();
        await Poll.UntilAsync(async () =>
        {
            using var again = await SseWireReader.OpenAsync(alice, "/sse/tasks/limited/events");
            return again.Response.StatusCode == HttpStatusCode.OK;
        }, Timeout, "alice can open a stream again");
    }

    [Fact]
    public async Task Streams_are_limited_in_total()
    {
        await using var gateway = await StartGatewayAsync(new() { ["RateLimits:StreamsTotal"] = "3", ["RateLimits:StreamsPerClient"] = "3" });
        var clients = Enumerable.Range(0, 4).Select(i => gateway.CreateHttpClient(TestTokens.Create(subject: $"client-{i}"))).ToList();
        var open = new List<SseWireReader>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                open.Add(await OpenStreamAsync(clients[i]));
            }

            using var refused = await SseWireReader.OpenAsync(clients[3], "/sse/tasks/limited/events");

            await Problem.AssertAsync(refused.Response, HttpStatusCode.TooManyRequests);
            Assert.NotNull(refused.Response.Headers.RetryAfter);
        }
        finally
        {
            open.ForEach(s => s.Dispose());
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Rest_requests_drain_a_token_bucket_per_client()
    {
        await using var gateway = await StartGatewayAsync(new() { ["RateLimits:Burst"] = "3", ["RateLimits:RequestsPerSecond"] = "0.1" });
        using var alice = gateway.CreateHttpClient(TestTokens.Create(subject: "alice"));
        using var bob = gateway.CreateHttpClient(TestTokens.Create(subject: "bob"));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/api/tasks/limited")).StatusCode);
        }

        using var refused = await alice.GetAsync("/api/tasks/limited");
        await Problem.AssertAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/api/tasks/limited")).StatusCode);
    }

    [Fact]
    public async Task Anonymous_clients_are_limited_by_address()
    {
        await using var gateway = await StartGatewayAsync(new() { ["RateLimits:Burst"] = "2", ["RateLimits:RequestsPerSecond"] = "0.1" });
        using var anonymous = gateway.CreateHttpClient(null);
        using var alice = gateway.CreateHttpClient(TestTokens.Create(subject: "alice"));

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/sse/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/sse/health")).StatusCode);
        using var refused = await anonymous.GetAsync("/sse/health");

        await Problem.AssertAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/sse/health")).StatusCode);
    }

    [Theory]
    [InlineData("RateLimits:StreamsPerClient", "0")]
    [InlineData("RateLimits:StreamsPerClient", "20001")]
    [InlineData("RateLimits:RequestsPerSecond", "0")]
    [InlineData("RateLimits:Burst", "-1")]
    public async Task Invalid_limits_stop_the_gateway_at_startup(string key, string value)
    {
        await Assert.ThrowsAsync<OptionsValidationException>(() => StartGatewayAsync(new() { [key] = value }));
    }

    private Task<GatewayHost> StartGatewayAsync(Dictionary<string, string?> settings) => GatewayHost.StartAsync(_api, settings);

    /// <summary>Opens a stream and waits for its first frame, so it is established end to end.</summary>
    private static async Task<SseWireReader> OpenStreamAsync(HttpClient client)
    {
        var stream = await SseWireReader.OpenAsync(client, "/sse/tasks/limited/events");
        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        using var timeout = new CancellationTokenSource(Timeout);
        Assert.NotNull(await stream.ReadFrameAsync(timeout.Token));
        return stream;
    }
}
