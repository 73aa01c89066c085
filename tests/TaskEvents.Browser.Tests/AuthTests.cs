using Microsoft.Playwright;

namespace TaskEvents.Browser.Tests;

/// <summary>Refused streams: EventStreamService stops in the <c>error</c> state and says why, instead of retrying forever.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AuthTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_expired_token_ends_in_error_after_one_refresh_without_a_retry_loop()
    {
        using var client = fixture.CreateClient();
        var taskId = await client.CreateTaskAsync("expired");
        await using var harness = await HarnessPage.OpenAsync(fixture, context => context.Clock.InstallAsync());

        await harness.StartAsync(taskId, new { tokens = new[] { TestTokens.Expired() }, reconnectDelay = 50, maxReconnectDelay = 100, keepaliveInterval = 1000 });
        await harness.WaitForStateAsync("error");

        // Ten minutes of page time: a retry loop, even with the longest backoff, would have sent more requests.
        await harness.Page.Clock.RunForAsync(600_000);
        await ReconnectTests.AwaitEarlierRequestsAsync(harness);
        Assert.Equal(2, harness.StreamRequests.Count);
        var tokenCalls = await harness.Page.EvaluateAsync<bool[]>("() => harness.tokenCalls");
        Assert.Equal([false, true], tokenCalls);
        Assert.Equal("error", await harness.StateAsync());
        var last = (await harness.StatesAsync()).EnumerateArray().Last();
        Assert.Equal("unauthorized", last.GetProperty("reason").GetString());
        Assert.Equal(401, last.GetProperty("status").GetInt32());
        Assert.DoesNotContain((await harness.StatesAsync()).EnumerateArray(), s => s.GetProperty("state").GetString() == "reconnecting");
        await Assertions.Expect(harness.Page.Locator(".connection-status-message")).ToHaveTextAsync("Connection error");
        await Assertions.Expect(harness.Page.Locator(".connection-status-detail")).ToContainTextAsync("401");
    }

    [Fact]
    public async Task A_401_refreshes_the_token_once_and_connects()
    {
        using var client = fixture.CreateClient();
        var taskId = await client.CreateTaskAsync("refresh");
        await client.AppendManyAsync(taskId, 2);
        await using var harness = await HarnessPage.OpenAsync(fixture);

        await harness.StartAsync(taskId, new { tokens = new[] { TestTokens.Expired(), TestTokens.Create() }, keepaliveInterval = 1000 });
        await harness.WaitForEventsAsync(2);

        Assert.Equal("connected", await harness.StateAsync());
        Assert.Equal(2, harness.StreamRequests.Count);
        var tokenCalls = await harness.Page.EvaluateAsync<bool[]>("() => harness.tokenCalls");
        Assert.Equal([false, true], tokenCalls);
    }

    [Theory]
    [InlineData("forbidden", 403)]
    [InlineData("not_found", 404)]
    public async Task A_refused_stream_ends_in_error_with_the_reason_and_is_not_retried(string reason, int status)
    {
        using var client = fixture.CreateClient();
        var taskId = await client.CreateTaskAsync("refused");
        var token = status == 403 ? TestTokens.Create(scope: "events:write") : TestTokens.Create();
        var streamed = status == 404 ? $"{taskId}-missing" : taskId;
        await using var harness = await HarnessPage.OpenAsync(fixture, context => context.Clock.InstallAsync());

        await harness.StartAsync(streamed, new { token, reconnectDelay = 50, maxReconnectDelay = 100, keepaliveInterval = 1000 });
        await harness.WaitForStateAsync("error", reason);
        await harness.Page.Clock.RunForAsync(600_000);
        await ReconnectTests.AwaitEarlierRequestsAsync(harness);

        Assert.Single(harness.StreamRequests);
        var last = (await harness.StatesAsync()).EnumerateArray().Last();
        Assert.Equal(status, last.GetProperty("status").GetInt32());
        await Assertions.Expect(harness.Page.Locator(".connection-status-detail")).ToContainTextAsync($"({status})");
    }

    [Fact]
    public async Task Start_after_an_error_connects_again()
    {
        using var client = fixture.CreateClient();
        var taskId = await client.CreateTaskAsync("restart");
        await client.AppendManyAsync(taskId, 2);
        await using var harness = await HarnessPage.OpenAsync(fixture);
        await harness.StartAsync(taskId, new { token = TestTokens.Expired(), keepaliveInterval = 1000 });
        await harness.WaitForStateAsync("error", "unauthorized");

        await harness.Page.EvaluateAsync("token => { harness.stream.options.token = token; harness.stream.start(); }", TestTokens.Create());
        await harness.WaitForEventsAsync(2);

        Assert.Equal(TaskData.Seqs(1, 2), await harness.DeliveredAsync());
        Assert.Equal("connected", await harness.StateAsync());
        await Assertions.Expect(harness.Page.Locator(".connection-status-message")).ToHaveTextAsync("Connected (realtime)");
    }
}
