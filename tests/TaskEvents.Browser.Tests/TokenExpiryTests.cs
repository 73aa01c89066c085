using Microsoft.Playwright;

namespace TaskEvents.Browser.Tests;

/// <summary>
/// Streams end when their token expires (<c>reconnect</c> / <c>token_expired</c>): EventStreamService renews the token
/// through its token function and resumes at once, invisibly; a renewal that fails is shown as an error, not retried.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TokenExpiryTests(BrowserFixture fixture)
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(3);

    /// <summary>20 appends a second: well under the gateway's 50 a second per client.</summary>
    private static readonly TimeSpan ProducerInterval = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task Follows_a_task_across_token_expiries_exactly_once_without_an_error_or_backoff_state()
    {
        using var client = fixture.CreateClient();
        var taskId = await client.CreateTaskAsync("expiring");
        await using var harness = await HarnessPage.OpenAsync(fixture, IssueShortLivedTokensAsync);

        await harness.StartAsync(taskId, new { issuedTokens = true, batch_size = 1, flush_interval = 0.1, keepaliveInterval = 1000 });
        await harness.WaitForStateAsync("connected");

        // One event at a time, each awaited in the page, until two tokens have expired under the stream. Paced like a
        // producer that stays under the gateway's per-client limit (RateLimits:RequestsPerSecond, 50): unpaced, a fast
        // machine delivers each event within milliseconds, the loop passes the limit within the two token lifetimes
        // and the append is refused with 429 (seen once in a full run).
        using var pace = new PeriodicTimer(ProducerInterval);
        var appended = 0;
        while (await RefreshesAsync(harness) < 2 && await pace.WaitForNextTickAsync())
        {
            await client.AppendManyAsync(taskId, 1);
            appended++;
            await harness.WaitForEventsAsync(appended);
        }

        await Assertions.Expect(harness.Page.Locator(".connection-status-message")).ToHaveTextAsync("Connected (realtime)");
        await client.AppendManyAsync(taskId, 0, then: "task_completed");
        await harness.WaitForAsync("() => harness.ended !== null");

        Assert.Equal(TaskData.Seqs(1, appended + 1), await harness.DeliveredAsync());
        var tokenCalls = await harness.Page.EvaluateAsync<bool[]>("() => harness.tokenCalls");
        Assert.Equal([false, true, true], tokenCalls);
        var states = (await harness.StatesAsync()).EnumerateArray().Select(s => s.GetProperty("state").GetString()!).ToArray();
        Assert.Equal(["connecting", "connected", "disconnected"], states);
        Assert.Equal(0, await harness.Page.EvaluateAsync<int>("() => harness.errors.length"));
        var stats = await harness.StatsAsync();
        Assert.Equal(0, stats.GetProperty("duplicatesDropped").GetInt32());
        Assert.Equal(0, stats.GetProperty("gapsDetected").GetInt32());
        // One stream per token, each resuming after the last delivered event; nothing came over REST.
        var streams = harness.StreamRequests;
        Assert.Equal(3, streams.Count);
        Assert.All(streams.Skip(1), s => Assert.DoesNotContain("since_seq=0&", s.Query, StringComparison.Ordinal));
        Assert.Empty(harness.EventReads);
    }

    [Fact]
    public async Task A_token_refresh_that_fails_shows_the_error_state_and_is_not_retried()
    {
        using var client = fixture.CreateClient();
        var taskId = await client.CreateTaskAsync("refresh-fails");
        await client.AppendManyAsync(taskId, 2);
        await using var harness = await HarnessPage.OpenAsync(fixture, async context =>
        {
            await IssueShortLivedTokensAsync(context);
            await context.Clock.InstallAsync();
        });

        await harness.StartAsync(taskId, new { issuedTokens = true, failRefresh = true, batch_size = 1, keepaliveInterval = 1000, reconnectDelay = 50, maxReconnectDelay = 100 });
        await harness.WaitForEventsAsync(2);
        await harness.WaitForStateAsync("error", "token_refresh_failed");

        // Ten minutes of page time: a retry loop, even with the longest backoff, would have sent more requests.
        await harness.Page.Clock.RunForAsync(600_000);
        await ReconnectTests.AwaitEarlierRequestsAsync(harness);
        Assert.Single(harness.StreamRequests);
        var tokenCalls = await harness.Page.EvaluateAsync<bool[]>("() => harness.tokenCalls");
        Assert.Equal([false, true], tokenCalls);
        Assert.Equal("error", await harness.StateAsync());
        Assert.Equal(TaskData.Seqs(1, 2), await harness.DeliveredAsync());
        Assert.DoesNotContain((await harness.StatesAsync()).EnumerateArray(), s => s.GetProperty("state").GetString() == "reconnecting");
        await Assertions.Expect(harness.Page.Locator(".connection-status-message")).ToHaveTextAsync("Connection error");
        await Assertions.Expect(harness.Page.Locator(".connection-status-detail")).ToContainTextAsync("Could not refresh the access token: the identity provider is unreachable");
    }

    /// <summary>The page's token source gets each new token from here: valid for a few seconds.</summary>
    private static Task IssueShortLivedTokensAsync(IBrowserContext context) =>
        context.ExposeFunctionAsync("issueToken", () => TestTokens.ValidFor(TokenLifetime));

    private static async Task<int> RefreshesAsync(HarnessPage harness) =>
        await harness.Page.EvaluateAsync<int>("() => harness.tokenCalls.filter(forced => forced).length");
}
