using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TaskEvents.AppHost.Orchestration;
using static Microsoft.Playwright.Assertions;

namespace TaskEvents.IntegrationTests;

/// <summary>The dashboard in headless Debian Chromium, against the whole system the AppHost runs.</summary>
public sealed partial class DashboardTests(ITestOutputHelper output)
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    /// <summary>Where the screenshots go: the test output folder (bin/, not in git).</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task Dashboard_shows_live_resources_logs_masked_details_actions_and_channel_charts()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium package (apt-get install -y chromium).");
        await using var system = await TaskEventsApp.StartAsync(output, dashboard: true);
        var login = system.App.DashboardLoginUrl;
        Assert.NotNull(login);
        Assert.NotEqual(18888, login.Port);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
        SetDefaultExpectTimeout(30_000);

        // Logging in with the printed URL lands on the resources page, every resource up.
        var page = await context.NewPageAsync();
        await page.GotoAsync(login.ToString());
        await Expect(page).ToHaveURLAsync(new Uri(login, "/").ToString());
        await Expect(page.Locator("#connection")).ToHaveTextAsync("live");
        foreach (var (name, state) in (IEnumerable<(string, string)>)[("postgres", "Healthy"), ("api-0", "Healthy"), ("api-1", "Healthy"), ("gateway", "Healthy"), ("emitter", "Running")])
        {
            await Expect(State(page, name)).ToHaveTextAsync(state);
        }

        await Expect(page.Locator("#resources tbody tr")).ToHaveCountAsync(5);
        await Expect(Row(page, "gateway").Locator("td a[target=_blank]")).ToHaveAttributeAsync("href", system.Gateway.ToString().TrimEnd('/'));
        await Screenshot(page, "dashboard-resources.png");

        // Details: the environment the AppHost gave, the database password nowhere on the page.
        var password = new DbConnectionStringBuilder { ConnectionString = system.App.GetConnectionString("taskevents") }["Password"].ToString()!;
        Assert.False(string.IsNullOrEmpty(password));
        await Row(page, "api-0").Locator(".name a").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#details/api-0$"));
        var details = page.Locator("#page-details");
        await Expect(details).ToContainTextAsync("ConnectionStrings__taskevents");
        await Expect(details).ToContainTextAsync("Password=••••••••");
        await Expect(details).ToContainTextAsync($"service.instance.id=api-0");
        await Screenshot(page, "dashboard-details.png");
        Assert.DoesNotContain(password, await page.ContentAsync());
        await page.GotoAsync(new Uri(login, "/#details/postgres").ToString());
        await Expect(details).ToContainTextAsync("PGPASSWORD");
        Assert.DoesNotContain(password, await page.ContentAsync());

        // Console logs in a second tab, following api-1 live while the first tab stops and starts it.
        var api1 = system.App.Orchestrator.Find("api-1")!;
        var firstPid = api1.ProcessId;
        var logs = await context.NewPageAsync();
        await logs.GotoAsync(new Uri(login, "/#logs/api-1").ToString());
        var lines = logs.Locator("#log-lines");
        await Expect(lines).ToContainTextAsync($"[apphost] started pid {firstPid}");
        await Expect(lines).Not.ToContainTextAsync("[apphost] exited");

        await page.GotoAsync(new Uri(login, "/#resources").ToString());
        await Row(page, "api-1").GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();
        await Expect(State(page, "api-1")).ToHaveTextAsync("Exited");
        Assert.Equal(ResourceState.Exited, api1.State);
        await Expect(lines).ToContainTextAsync("[apphost] exited with code");

        await Row(page, "api-1").GetByRole(AriaRole.Button, new() { Name = "Start", Exact = true }).ClickAsync();
        await Expect(State(page, "api-1")).ToHaveTextAsync("Healthy");
        Assert.NotEqual(firstPid, api1.ProcessId);
        await Expect(Row(page, "api-1").Locator("td.pid")).ToHaveTextAsync(api1.ProcessId.ToString()!);
        await Expect(lines).ToContainTextAsync($"[apphost] started pid {api1.ProcessId}");

        // The filter keeps only the matching lines.
        await logs.Locator("#log-filter").FillAsync("[apphost]");
        await Expect(lines.Locator("div")).ToHaveCountAsync(3);
        await Screenshot(logs, "dashboard-logs.png");

        // Charts: the demo emitter appends; a subscriber through the gateway on one of its tasks gets deliveries.
        var demoTask = await DemoTaskAsync(system);
        var token = await system.DevTokenAsync();
        using var client = TestHttpClient.Create(system.Gateway, token);
        using var stopFollowing = new CancellationTokenSource();
        var follower = new SseFollower(client, $"/sse/tasks/{demoTask}/events");
        var following = follower.RunAsync(stopFollowing.Token);
        await follower.FirstEvent.WaitAsync(TimeSpan.FromSeconds(30));

        await page.GotoAsync(new Uri(login, "/#metrics").ToString());
        await Expect(page.Locator("#value-appends")).ToHaveTextAsync(NonZero());
        await Expect(page.Locator("#value-deliveries")).ToHaveTextAsync(NonZero());
        await Expect(page.Locator("#value-connections")).ToHaveTextAsync(NonZero());
        await Screenshot(page, "dashboard-charts.png");

        await stopFollowing.CancelAsync();
        try
        {
            await following;
        }
        catch (OperationCanceledException)
        {
            // Stopped following, as intended; the demo task may also have ended on its own.
        }
    }

    private static ILocator Row(IPage page, string name) => page.Locator($"#resources tbody tr[data-name='{name}']");

    private static ILocator State(IPage page, string name) => Row(page, name).Locator(".pill");

    /// <summary>A number with a non-zero digit: "6.0", "0.5", "1", not "0.0" or "–".</summary>
    [GeneratedRegex("[1-9]")]
    private static partial Regex NonZero();

    /// <summary>A task the demo emitter is playing into right now (it says so in its log).</summary>
    private static async Task<string> DemoTaskAsync(TaskEventsApp system)
    {
        var log = system.App.Orchestrator.Find("emitter")!.Log;
        string? taskId = null;
        await Poll.UntilAsync(
            () => (taskId = log.Snapshot().Select(l => StartedTask().Match(l.Text)).LastOrDefault(m => m.Success)?.Groups[1].Value) is not null,
            TimeSpan.FromSeconds(30),
            "the emitter started a demo task");
        return taskId!;
    }

    [GeneratedRegex(@"started (demo-\S+) \(")]
    private static partial Regex StartedTask();

    private async Task Screenshot(IPage page, string fileName)
    {
        var path = Path.Combine(ScreenshotDirectory, fileName);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} screenshot: {path}");
    }
}
