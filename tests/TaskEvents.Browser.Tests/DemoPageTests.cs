using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TaskEvents.Browser.Tests;

/// <summary>The demo page at the gateway root, used as a person would: it gets a token, creates a task, emits into it and shows it live.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoPageTests(BrowserFixture fixture)
{
    /// <summary>Where the screenshots go: the test output folder, which git ignores.</summary>
    public static string ArtifactsDirectory => Path.Combine(AppContext.BaseDirectory, "artifacts");

    [Fact]
    public async Task Demo_page_follows_a_run_emitted_from_the_page_through_a_simulated_outage()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Enqueue(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Enqueue(error);
        var status = page.Locator(".connection-status-message");

        // A fast producer (100 ms between events, about 6 s in all) keeps the test short.
        await page.GotoAsync("/demo_sse_streaming.html?step_ms=100");
        await Assertions.Expect(status).ToHaveTextAsync("Connected (realtime)");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"\?.*task=task-[0-9a-f]{32}"));
        var taskId = await page.Locator("#task-id").InputValueAsync();
        await Assertions.Expect(page.Locator("#token-info")).ToContainTextAsync("tenant default");

        await page.GetByRole(AriaRole.Button, new() { Name = "Start emitting events" }).ClickAsync();
        await WaitForWorkItemsAsync(page, 2);
        await SaveScreenshotAsync(page, "demo_sse_streaming-live.png");
        await WaitForWorkItemsAsync(page, 3);
        await page.GetByRole(AriaRole.Button, new() { Name = "Simulate offline (5 s)" }).ClickAsync();
        await Assertions.Expect(status).ToHaveTextAsync(new Regex(@"^Reconnecting"));
        await Assertions.Expect(page.Locator("#offline-label")).ToHaveTextAsync(new Regex(@"^Offline · \d s$"));
        await Assertions.Expect(page.Locator("#task-status")).ToHaveTextAsync("Completed", new() { Timeout = 30_000 });

        using var client = fixture.CreateClient();
        var lastSeq = (await client.GetJsonAsync($"/api/tasks/{taskId}")).GetProperty("last_seq").GetInt64();
        var shown = await page.Locator(".event-list .event").EvaluateAllAsync<long[]>("rows => rows.map(r => Number(r.dataset.seq))");
        Assert.Equal(TaskData.Seqs(1, (int)lastSeq).Reverse(), shown);
        await Assertions.Expect(page.Locator("#event-count")).ToHaveTextAsync(lastSeq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#progress-value")).ToHaveTextAsync("100");
        await Assertions.Expect(page.Locator(".work-item[data-state=completed]")).ToHaveCountAsync(8);
        await Assertions.Expect(page.Locator(".phase-done")).ToHaveCountAsync(4);
        await Assertions.Expect(status).ToHaveTextAsync("Disconnected");
        await Assertions.Expect(page.Locator(".connection-status-detail")).ToHaveTextAsync("Task completed.");
        await Assertions.Expect(page.Locator("[data-stat=reconnects] .value")).Not.ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#latency-p50")).ToHaveTextAsync(new Regex(@"^\d+(\.\d)? m?s$"));

        var screenshot = await SaveScreenshotAsync(page, "demo_sse_streaming.png");
        Assert.True(new FileInfo(screenshot).Length > 10_000);
        Assert.Empty(problems);
    }

    private static Task WaitForWorkItemsAsync(IPage page, int count) =>
        page.WaitForFunctionAsync("n => document.querySelectorAll('.work-item').length >= n", count,
            new PageWaitForFunctionOptions { Timeout = 20_000, PollingInterval = 20 });

    private static async Task<string> SaveScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        var path = Path.Combine(ArtifactsDirectory, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    [Fact]
    public async Task Root_page_links_the_demo()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await SaveScreenshotAsync(page, "index.png");
        await page.GetByRole(AriaRole.Link, new() { Name = "Open the live demo" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/demo_sse_streaming.html"));
        await Assertions.Expect(page.Locator(".connection-status-message")).ToHaveTextAsync("Connected (realtime)");
    }
}
