using System.Web;
using Microsoft.Playwright;

namespace TaskEvents.Browser.Tests;

/// <summary>EventStreamService in Chromium loses its connection and comes back where it left off.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReconnectTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Going_offline_and_back_reconnects_and_resumes_with_nothing_lost_or_repeated()
    {
        using var client = fixture.CreateClient();
        var taskId = await client.CreateTaskAsync("offline");
        await client.AppendManyAsync(taskId, 3);
        await using var harness = await HarnessPage.OpenAsync(fixture);
        await harness.StartAsync(taskId, new { token = TestTokens.Create(), keepaliveInterval = 1000, reconnectDelay = 500, maxReconnectDelay = 2000 });
        await harness.WaitForEventsAsync(3);

        await harness.Context.SetOfflineAsync(true);
        await harness.WaitForStateAsync("reconnecting", "offline");
        await client.AppendManyAsync(taskId, 5);
        await harness.Context.SetOfflineAsync(false);
        await harness.WaitForEventsAsync(8);
        await client.AppendManyAsync(taskId, 2);
        await harness.WaitForEventsAsync(10);

        Assert.Equal(TaskData.Seqs(1, 10), await harness.DeliveredAsync());
        Assert.Equal("connected", await harness.StateAsync());
        var streams = harness.StreamRequests;
        Assert.True(streams.Count >= 2, $"Expected a reconnect, saw {streams.Count} stream request(s).");
        Assert.All(streams.Skip(1), uri => Assert.Equal("3", HttpUtility.ParseQueryString(uri.Query)["since_seq"]));
        var stats = await harness.StatsAsync();
        Assert.True(stats.GetProperty("reconnects").GetInt32() >= 1);
        Assert.Equal(0, stats.GetProperty("gapsDetected").GetInt32());
    }

    [Fact]
    public async Task Shows_the_attempt_and_a_countdown_while_reconnecting()
    {
        using var client = fixture.CreateClient();
        var taskId = await client.CreateTaskAsync("countdown");
        await client.AppendManyAsync(taskId, 1);
        await using var harness = await HarnessPage.OpenAsync(fixture);
        await harness.StartAsync(taskId, new { token = TestTokens.Create(), keepaliveInterval = 1000, reconnectDelay = 2000, maxReconnectDelay = 8000, maxReconnectAttempts = 20 });
        await harness.WaitForEventsAsync(1);
        var message = harness.Page.Locator(".connection-status-message");
        var timer = harness.Page.Locator(".connection-status-timer");

        await harness.Context.SetOfflineAsync(true);
        // Full jitter makes some waits short; wait for one long enough to count down through a whole second.
        var shown = await harness.Page.WaitForFunctionAsync("""
            () => {
                const timer = document.querySelector('.connection-status-timer');
                const match = /^Retry in (\d+)s$/.exec(timer.textContent);
                return match && Number(match[1]) >= 2 && timer.checkVisibility() ? Number(match[1]) : false;
            }
            """, null, new PageWaitForFunctionOptions { Timeout = 30_000, PollingInterval = 20 });
        var seconds = await shown.JsonValueAsync<int>();
        await Assertions.Expect(message).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Reconnecting \(attempt \d+/20\)$"));
        await Assertions.Expect(harness.Page.Locator("[role=status][aria-live=polite]")).ToContainTextAsync("Reconnecting");
        await harness.Page.WaitForFunctionAsync(
            "expected => document.querySelector('.connection-status-timer').textContent === expected",
            $"Retry in {seconds - 1}s", new PageWaitForFunctionOptions { Timeout = 5_000, PollingInterval = 20 });

        await harness.Context.SetOfflineAsync(false);
        await Assertions.Expect(message).ToHaveTextAsync("Connected (realtime)");
        await Assertions.Expect(timer).ToBeEmptyAsync();
    }

    /// <summary>
    /// The client expects a keepalive every 100 ms (so it gives up after 250 ms of silence) while the Api sends one
    /// every 500 ms: each idle stream looks dead to the watchdog, which must drop it and resume. Events are sent
    /// without batching (batch_size 1), so they are not held back longer than the watchdog allows.
    /// </summary>
    [Fact]
    public async Task A_stream_silent_for_longer_than_the_heartbeat_allows_is_dropped_and_resumed()
    {
        using var client = fixture.CreateClient();
        var taskId = await client.CreateTaskAsync("silent");
        await client.AppendManyAsync(taskId, 2);
        await using var harness = await HarnessPage.OpenAsync(fixture);

        await harness.StartAsync(taskId, new { token = TestTokens.Create(), batch_size = 1, keepaliveInterval = 100, reconnectDelay = 100, maxReconnectDelay = 200 });
        await harness.WaitForEventsAsync(2);

        // Nothing more is appended: the stream goes quiet, and the watchdog drops it and resumes after event 2.
        await Poll.UntilAsync(() => harness.StreamRequests.Any(uri => HttpUtility.ParseQueryString(uri.Query)["since_seq"] == "2"),
            TimeSpan.FromSeconds(20), "a stream request resuming with since_seq=2");
        await harness.WaitForStateAsync("reconnecting", "heartbeat_timeout");
        await client.AppendManyAsync(taskId, 3);
        await harness.WaitForEventsAsync(5);

        Assert.Equal(TaskData.Seqs(1, 5), await harness.DeliveredAsync());
    }

    [Fact]
    public async Task Stop_closes_the_stream_and_cancels_a_pending_reconnect()
    {
        using var client = fixture.CreateClient();
        var taskId = await client.CreateTaskAsync("stop");
        await client.AppendManyAsync(taskId, 2);
        await using var harness = await HarnessPage.OpenAsync(fixture, context => context.Clock.InstallAsync());
        await harness.StartAsync(taskId, new { token = TestTokens.Create(), keepaliveInterval = 1000, reconnectDelay = 5000 });
        await harness.WaitForEventsAsync(2);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Page.RequestFailed += (_, request) =>
        {
            if (request.Url.Contains("/sse/tasks/", StringComparison.Ordinal))
            {
                closed.TrySetResult();
            }
        };

        // Stopped while connected: the stream is closed.
        await harness.EvaluateAsync("() => harness.stream.stop()");
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("disconnected", await harness.StateAsync());

        // Started again, it resumes; stopped while waiting to reconnect, the wait is cancelled.
        await client.AppendManyAsync(taskId, 1);
        await harness.EvaluateAsync("() => harness.stream.start()");
        await harness.WaitForEventsAsync(3);
        Assert.Contains("since_seq=2", harness.StreamRequests[^1].Query, StringComparison.Ordinal);
        await harness.Context.SetOfflineAsync(true);
        await harness.WaitForStateAsync("reconnecting", "offline");
        await harness.EvaluateAsync("() => harness.stream.stop()");
        await harness.Context.SetOfflineAsync(false);
        var streamsWhenStopped = harness.StreamRequests.Count;

        // Ten minutes of page time: a reconnect, watchdog or retry timer left behind would have fired by now.
        await harness.Page.Clock.RunForAsync(600_000);
        await AwaitEarlierRequestsAsync(harness);
        Assert.Equal(streamsWhenStopped, harness.StreamRequests.Count);
        Assert.Equal("disconnected", await harness.StateAsync());
        Assert.Equal(TaskData.Seqs(1, 3), await harness.DeliveredAsync());
    }

    /// <summary>
    /// Makes one more request from the page and waits for it to be seen: requests the page started before it have
    /// been reported by then.
    /// </summary>
    internal static async Task AwaitEarlierRequestsAsync(HarnessPage harness) =>
        await harness.Page.RunAndWaitForRequestFinishedAsync(
            () => harness.Page.EvaluateAsync("() => fetch('/sse/health').then(r => r.status)"),
            new PageRunAndWaitForRequestFinishedOptions { Predicate = request => request.Url.EndsWith("/sse/health", StringComparison.Ordinal) });
}
