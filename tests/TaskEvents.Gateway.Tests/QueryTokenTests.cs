using System.Diagnostics;
using System.Net;

namespace TaskEvents.Gateway.Tests;

/// <summary>EventSource's <c>?access_token=</c>: accepted on streams only, forwarded as a header, never in a URL or a log.</summary>
public sealed class QueryTokenTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_stream_accepts_a_query_token_and_the_api_gets_it_as_a_header_only()
    {
        using var owner = fixture.Gateway.CreateHttpClient();
        await owner.CreateTaskAsync("query-token");
        await owner.AppendAsync("query-token", "step");
        var token = TestTokens.Create();
        using var browser = fixture.Gateway.CreateHttpClient(null);

        using var stream = await SseWireReader.OpenAsync(browser, $"/sse/tasks/query-token/events?batch_size=1&access_token={token}");
        using var timeout = new CancellationTokenSource(Timeout);
        var events = await stream.ReadEventsAsync(1, timeout.Token);

        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal(1, events[0].GetProperty("seq").GetInt64());
        var forwarded = Assert.Single(fixture.Api.ReceivedRequests, r => r.Path == "/sse/tasks/query-token/events");
        Assert.Equal("?batch_size=1", forwarded.QueryString);
        Assert.Equal($"Bearer {token}", forwarded.Header("Authorization"));
    }

    [Fact]
    public async Task Rest_does_not_accept_a_query_token()
    {
        using var client = fixture.Gateway.CreateHttpClient(null);

        using var response = await client.GetAsync($"/api/tasks/any?access_token={TestTokens.Create()}");

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_query_token_is_stripped_even_where_a_header_authenticates()
    {
        using var client = fixture.Gateway.CreateHttpClient();

        using var response = await client.GetAsync("/api/tasks/stripped?access_token=leaked&keep=1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var forwarded = Assert.Single(fixture.Api.ReceivedRequests, r => r.Path == "/api/tasks/stripped");
        Assert.Equal("?keep=1", forwarded.QueryString);
    }

    [Fact]
    public async Task A_query_token_appears_in_no_log_and_no_trace()
    {
        var tags = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (tags)
                {
                    tags.AddRange(activity.TagObjects.Select(t => $"{t.Key}={t.Value}"));
                    tags.Add(activity.DisplayName);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var gateway = await GatewayHost.StartAsync(fixture.Api, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        });
        using var owner = gateway.CreateHttpClient();
        await owner.CreateTaskAsync("secret-stream");
        await owner.AppendAsync("secret-stream", "step");
        var token = TestTokens.Create();
        var signature = token.Split('.')[2];
        using var browser = gateway.CreateHttpClient(null);

        using (var stream = await SseWireReader.OpenAsync(browser, $"/sse/tasks/secret-stream/events?access_token={token}"))
        {
            using var timeout = new CancellationTokenSource(Timeout);
            await stream.ReadEventsAsync(1, timeout.Token);
        }

        using (await browser.GetAsync($"/sse/tasks/secret-stream/events?access_token={TestTokens.Expired()}"))
        {
        }

        // The capture works: the proxy's own Trace-level logging is there.
        await Poll.UntilAsync(() => gateway.Logs.Entries.Any(e => e.Contains("/sse/tasks/secret-stream/events", StringComparison.Ordinal)), Timeout, "gateway logs mention the stream");
        Assert.DoesNotContain(gateway.Logs.Entries, e => e.Contains(signature, StringComparison.Ordinal));
        lock (tags)
        {
            Assert.Contains(tags, t => t.Contains("/sse/tasks/secret-stream/events", StringComparison.Ordinal));
            Assert.DoesNotContain(tags, t => t.Contains(signature, StringComparison.Ordinal));
        }
    }
}
