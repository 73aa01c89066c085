using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TaskEvents.Browser.Tests;

/// <summary>EventStreamService in Chromium hands every event to onEvent once, in seq order, whatever the stream did.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class DeliveryTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Delivers_history_then_live_events_in_order_and_stops_at_the_end_of_the_task()
    {
        using var client = fixture.CreateClient();
        var taskId = await client.CreateTaskAsync("in-order");
        await client.AppendManyAsync(taskId, 5);
        await using var harness = await HarnessPage.OpenAsync(fixture);

        await harness.StartAsync(taskId, new { token = TestTokens.Create(), keepaliveInterval = 1000 });
        await harness.WaitForEventsAsync(5);
        await Assertions.Expect(harness.Page.Locator(".connection-status-message")).ToHaveTextAsync("Connected (realtime)");
        for (var i = 0; i < 4; i++)
        {
            await client.AppendManyAsync(taskId, 5);
        }

        await client.AppendManyAsync(taskId, 4, then: "task_completed");
        await harness.WaitForStateAsync("disconnected", "ended");

        Assert.Equal(TaskData.Seqs(1, 30), await harness.DeliveredAsync());
        var stats = await harness.StatsAsync();
        Assert.Equal(30, stats.GetProperty("eventsReceived").GetInt32());
        Assert.Equal(0, stats.GetProperty("reconnects").GetInt32());
        var stream = Assert.Single(harness.StreamRequests);
        Assert.Contains("since_seq=0", stream.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("access_token", stream.Query, StringComparison.Ordinal);
        Assert.Equal("completed", await harness.Page.EvaluateAsync<string>("() => harness.ended.status"));
        await Assertions.Expect(harness.Page.Locator(".connection-status-message")).ToHaveTextAsync("Disconnected");
        await Assertions.Expect(harness.Page.Locator(".connection-status-detail")).ToHaveTextAsync("Task completed.");
    }

    /// <summary>
    /// The task is complete, so its stream is finite: a route takes the real stream from the gateway, drops the
    /// frames of seqs 3..1102 (more than one REST page) and 1400..1410, and sends seqs 1200..1204 and 1 a second
    /// time. The REST reads go to the real Api, and the first is held until the second gap has been seen, so the
    /// second gap opens while the first is being filled.
    /// </summary>
    [Fact]
    public async Task Recovers_events_the_stream_skipped_from_the_rest_api_in_order_and_drops_repeats()
    {
        using var client = fixture.CreateClient();
        var taskId = await client.CreateTaskAsync("gaps");
        await client.AppendManyAsync(taskId, 1599, then: "task_completed");
        var dropped = new[] { (From: 3L, To: 1102L), (From: 1400L, To: 1410L) };
        var secondGapSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var streamsServed = 0;

        await using var harness = await HarnessPage.OpenAsync(fixture, async context =>
        {
            await context.RouteAsync($"**/sse/tasks/{taskId}/events*", async route =>
            {
                Interlocked.Increment(ref streamsServed);
                var response = await route.FetchAsync();
                var body = Rewrite(await response.TextAsync(),
                    drop: seq => dropped.Any(d => seq >= d.From && seq <= d.To),
                    repeatAfter: new Dictionary<long, long[]> { [1300] = [1200, 1201, 1202, 1203, 1204], [1600] = [1] });
                await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = body });
            });
            await context.RouteAsync($"**/api/tasks/{taskId}/events*", async route =>
            {
                await secondGapSeen.Task.WaitAsync(TimeSpan.FromSeconds(20));
                await route.ContinueAsync();
            });
        });
        harness.Page.Console += (_, message) =>
        {
            if (message.Text.Contains("Gap detected: seq 1400..1410", StringComparison.Ordinal))
            {
                secondGapSeen.TrySetResult();
            }
        };

        await harness.StartAsync(taskId, new { token = TestTokens.Create(), batch_size = 100, keepaliveInterval = 1000 });
        await harness.WaitForStateAsync("disconnected", "ended");

        Assert.Equal(TaskData.Seqs(1, 1600), await harness.DeliveredAsync());
        var stats = await harness.StatsAsync();
        Assert.Equal(2, stats.GetProperty("gapsDetected").GetInt32());
        Assert.Equal(2, stats.GetProperty("gapsRecovered").GetInt32());
        Assert.Equal(1111, stats.GetProperty("eventsRecovered").GetInt32());
        Assert.Equal(6, stats.GetProperty("duplicatesDropped").GetInt32());
        Assert.Equal(1, streamsServed);
        // The first gap needed two pages (1,000 is the Api's limit); the second its own read.
        var reads = harness.EventReads.Select(u => u.Query).ToList();
        Assert.Equal(["?since_seq=2&limit=1000", "?since_seq=1002&limit=100", "?since_seq=1399&limit=11"], reads);
        await Assertions.Expect(harness.Page.Locator("[data-stat=gapsRecovered] .value")).ToHaveTextAsync("2");
    }

    [Fact]
    public async Task Resumes_after_a_page_reload_from_the_persisted_seq()
    {
        using var client = fixture.CreateClient();
        var taskId = await client.CreateTaskAsync("reload");
        await client.AppendManyAsync(taskId, 3);
        await using var harness = await HarnessPage.OpenAsync(fixture);
        var options = new { token = TestTokens.Create(), persist = true, keepaliveInterval = 1000 };

        await harness.StartAsync(taskId, options);
        await harness.WaitForEventsAsync(3);
        await harness.ReloadAsync();
        await client.AppendManyAsync(taskId, 2);
        await harness.StartAsync(taskId, options);
        await harness.WaitForEventsAsync(2);

        Assert.Equal(TaskData.Seqs(4, 5), await harness.DeliveredAsync());
        Assert.Contains("since_seq=3", harness.StreamRequests[^1].Query, StringComparison.Ordinal);
        Assert.Equal("5", await harness.Page.EvaluateAsync<string>($"() => localStorage.getItem('taskevents:last_seq:{taskId}')"));
    }

    /// <summary>
    /// The stream body without the <c>id: N</c> frames <paramref name="drop"/> matches, and with copies of the frames
    /// listed in <paramref name="repeatAfter"/> sent again right after the frame of the key's seq.
    /// </summary>
    private static string Rewrite(string body, Func<long, bool> drop, Dictionary<long, long[]> repeatAfter)
    {
        var frames = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var bySeq = frames.Where(f => SeqOf(f) is not null).ToDictionary(f => SeqOf(f)!.Value);
        var kept = new StringBuilder();
        foreach (var frame in frames)
        {
            var seq = SeqOf(frame);
            if (seq is { } dropped && drop(dropped))
            {
                continue;
            }

            kept.Append(frame).Append("\n\n");
            if (seq is { } sent && repeatAfter.TryGetValue(sent, out var repeats))
            {
                foreach (var repeat in repeats)
                {
                    kept.Append(bySeq[repeat]).Append("\n\n");
                }
            }
        }

        return kept.ToString();
    }

    private static long? SeqOf(string frame) =>
        IdLine().Match(frame) is { Success: true } id ? long.Parse(id.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"^id: (\d+)$", RegexOptions.Multiline)]
    private static partial Regex IdLine();
}
