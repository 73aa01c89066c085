using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TaskEvents.IntegrationTests;

/// <summary>The Aspire dashboard the AppHost runs, in headless Debian Chromium, against the whole system.</summary>
public sealed partial class DashboardTests(ITestOutputHelper output)
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const float ExpectTimeoutMs = 30_000;
    private const string AppendRoute = "POST /api/tasks/{task_id}/events";

    /// <summary>The Api's span of one append_events call (AppendBatchSpan.Name), inside the request's trace.</summary>
    private const string AppendBatchSpanName = "append_events";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private static readonly string[] Resources = ["postgres", "taskevents", "api-0", "api-1", "gateway", "emitter"];

    /// <summary>The event channel's own instruments (meter <c>TaskEvents.Api</c>, see ApiMetrics).</summary>
    private static readonly string[] ChannelInstruments =
    [
        "taskevents.sse.active_connections", "taskevents.events.appended", "taskevents.events.delivered", "taskevents.delivery.latency",
    ];

    /// <summary>Where the screenshots go: the test output folder (bin/, not in git).</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task Dashboard_shows_every_resource_up_their_logs_traces_and_the_channel_metrics_and_runs_the_demo_command()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium package (apt-get install -y chromium).");
        // Every delivered batch gets a span (the default samples 10 a second per replica), so the traced append's has one.
        await using var system = await TaskEventsSystem.StartAsync(new TaskEventsSystemOptions
        {
            Dashboard = true,
            Arguments = ["--DeliveryTracing:SpansPerSecond=1000"],
            Log = output.Lines(),
        });
        var login = system.DashboardLoginUrl;
        Assert.NotNull(login);
        var root = new Uri(login, "/");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
        SetDefaultExpectTimeout(ExpectTimeoutMs);
        var page = await context.NewPageAsync();
        try
        {
            // The login link lands on the resources page; every resource is Running, and Healthy (the state cell says just
            // "Running" only then: running but unhealthy reads "Resource is running but not in a healthy state").
            await OpenAsync(page, login, RunningCell(page, "emitter"));
            await Expect(page).ToHaveURLAsync(root.ToString());
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Resources", Level = 1 })).ToBeVisibleAsync();
            foreach (var resource in Resources)
            {
                await Expect(RunningCell(page, resource)).ToBeVisibleAsync();
            }

            await Screenshot(page, "dashboard-resources.png");

            // The emitter's dashboard command, from its actions menu: the run is appended through the gateway and the toast says so.
            await ResourceRow(page, "emitter").GetByRole(AriaRole.Button, new() { Name = "Actions", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Menuitem, new() { Name = "Emit a demo run" }).ClickAsync();
            await Expect(page.GetByText("emitter \"Emit a demo run\" succeeded").First).ToBeVisibleAsync(new() { Timeout = 120_000 });
            await Expect(page.GetByText("emitter \"Emit a demo run\" failed")).ToHaveCountAsync(0);

            // Console logs of api-0: its startup lines, with the address the AppHost gave it.
            var consoleLogs = page.GetByRole(AriaRole.Region, new() { Name = "Console logs" });
            await OpenAsync(page, new Uri(root, "/consolelogs/resource/api-0"), consoleLogs.GetByText("Application started.").First);
            await Expect(consoleLogs).ToContainTextAsync($"Now listening on: {system.ApiEndpoint("api-0").ToString().TrimEnd('/')}");
            await Expect(consoleLogs).ToContainTextAsync("Application started.");
            await Screenshot(page, "dashboard-console-logs.png");

            // Traffic of our own: a subscriber through the gateway, appends through the gateway, and a few straight at the
            // replica serving the subscriber, so that replica has connections, appends, deliveries and latencies to show.
            var token = await system.DevTokenAsync();
            using var client = TestHttpClient.Create(system.Gateway, token);
            var taskId = $"dashboard-{Guid.NewGuid():N}";
            await client.CreateTaskAsync(taskId);
            var before = await system.StreamsPerReplicaAsync();
            using var stopFollowing = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var follower = new SseFollower(client, $"/sse/tasks/{taskId}/events");
            var following = follower.RunAsync(stopFollowing.Token);
            for (var i = 0; i < 5; i++)
            {
                await client.AppendAsync(taskId, "step");
            }

            await follower.FirstEvent.WaitAsync(TimeSpan.FromSeconds(30));
            var during = await system.StreamsPerReplicaAsync();
            var serving = during.Single(r => r.Value > before[r.Key]).Key;
            using var straight = TestHttpClient.Create(system.ApiEndpoint(serving), token);
            for (var i = 0; i < 5; i++)
            {
                await straight.AppendAsync(taskId, "step");
            }

            // One more through the gateway in a trace of our own (W3C traceparent), to find in the dashboard by its id. Alone
            // in its batch, so its trace holds the append_events span: the emitter's worker appends all along, and every append
            // goes to one writer, which stores a batch of several requests in a trace of its own (AppendBatchSpan).
            await system.ExecuteCommandAsync("emitter", KnownResourceCommands.StopCommand);
            var tracedAppend = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            using (var append = new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{taskId}/events"))
            {
                append.Content = JsonContent.Create(new { events = new[] { new { event_type = "traced" } } });
                append.Headers.Add("traceparent", $"00-{tracedAppend}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant()}-01");
                using var appended = await client.SendAsync(append);
                Assert.Equal(HttpStatusCode.Created, appended.StatusCode);
            }

            await Poll.UntilAsync(() => follower.Seqs.Count >= 11, TimeSpan.FromSeconds(30), "the subscriber received all 11 events");

            // Structured logs from each service, over OTLP.
            foreach (var service in (string[])["api-0", "api-1", "gateway"])
            {
                var logs = page.GetByRole(AriaRole.Region, new() { Name = "Structured logs" });
                await OpenAsync(page, new Uri(root, $"/structuredlogs/resource/{service}"), logs.GetByRole(AriaRole.Gridcell, new() { Name = service, Exact = true }).First);
                await Expect(logs).ToContainTextAsync("Now listening on:");
            }

            // Traces: the list has traces that went through the gateway to an Api replica; our traced append, opened in detail,
            // shows the gateway's spans, the Api's append and its database calls.
            var throughGateway = page.GetByRole(AriaRole.Region, new() { Name = "Traces" }).GetByRole(AriaRole.Row)
                .Filter(new() { HasText = "POST /api/" })
                .Filter(new() { Has = page.GetByTitle("gateway spans") })
                .Filter(new() { Has = page.GetByTitle(ApiReplicaSpans()) });
            await OpenAsync(page, new Uri(root, "/traces"), throughGateway.First);
            var detail = page.GetByRole(AriaRole.Main).First;
            await OpenAsync(page, new Uri(root, $"/traces/detail/{tracedAppend}"), detail.GetByText(AppendRoute, new() { Exact = true }));
            await Expect(detail.GetByText(new Regex(@"^api-\d$")).First).ToBeVisibleAsync();
            await Expect(detail.GetByText("gateway", new() { Exact = true }).First).ToBeVisibleAsync();
            await Expect(detail.GetByText(AppendBatchSpanName, new() { Exact = true })).ToBeVisibleAsync();
            await Screenshot(page, "dashboard-traces.png");

            // Its delivery to our follower: a span in a trace of its own on the replica serving the stream, linked to the
            // append's request span, which lists it under Backlinks.
            await OpenDeliveryBacklinkAsync(page, root, tracedAppend);
            await Screenshot(page, "dashboard-delivery-trace.png");

            // Metrics: the serving replica's TaskEvents.Api meter over OTLP; its delivery latency charted (the picture), then
            // every instrument of the event channel listed.
            await OpenAsync(page, new Uri(root, $"/metrics/resource/{serving}?meter=TaskEvents.Api&instrument={ChannelInstruments[3]}"),
                page.GetByText("From an event's created_at to its flush to an SSE stream.").First);
            await Expect(page.Locator(".js-plotly-plot svg.main-svg").First).ToBeVisibleAsync();
            await Screenshot(page, "dashboard-metrics.png");
            await OpenAsync(page, new Uri(root, $"/metrics/resource/{serving}?meter=TaskEvents.Api"), page.GetByRole(AriaRole.Link, new() { Name = ChannelInstruments[0], Exact = true }));
            foreach (var instrument in ChannelInstruments)
            {
                await Expect(page.GetByRole(AriaRole.Link, new() { Name = instrument, Exact = true })).ToBeVisibleAsync();
            }

            await stopFollowing.CancelAsync();
            try
            {
                await following;
            }
            catch (OperationCanceledException)
            {
                // Stopped following, as intended.
            }
        }
        catch
        {
            await Screenshot(page, "failure.png");
            await File.WriteAllTextAsync(Path.Combine(ScreenshotDirectory, "failure.html"), await page.ContentAsync());
            throw;
        }
    }

    /// <summary>
    /// Opens a dashboard page and waits for <paramref name="ready"/>. Under load the dashboard's Blazor circuit sometimes dies
    /// during its first render (an ObjectDisposedException in Virtualize's JS interop, in the dashboard's own log); the page
    /// then says "An unhandled error has occurred" and never fills. It is reloaded once, and said so; a second crash fails.
    /// </summary>
    private async Task OpenAsync(IPage page, Uri url, ILocator ready)
    {
        await page.GotoAsync(url.ToString());
        var crashed = page.GetByText("An unhandled error has occurred.");
        // Blazor keeps its (hidden) error bar in every page: only a visible one means the circuit crashed.
        await Expect(ready.Or(crashed).Filter(new() { Visible = true }).First).ToBeVisibleAsync();
        if (await crashed.Filter(new() { Visible = true }).CountAsync() > 0)
        {
            output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} the dashboard's circuit crashed on {url.PathAndQuery}: reloading once");
            await page.ReloadAsync();
        }

        await Expect(ready).ToBeVisibleAsync();
    }

    /// <summary>
    /// Opens the append's trace and its Api request span's details, where the delivery span appears under Backlinks once the
    /// replica has exported it (its own export, a moment after the append's): the details are reopened until then.
    /// </summary>
    private async Task OpenDeliveryBacklinkAsync(IPage page, Uri root, string traceId)
    {
        var appendRow = page.GetByRole(AriaRole.Main).First.GetByText(AppendRoute, new() { Exact = true });
        var backlink = page.GetByText(DeliverySpanTitle()).First;
        for (var attempt = 1; ; attempt++)
        {
            await OpenAsync(page, new Uri(root, $"/traces/detail/{traceId}"), appendRow);
            await appendRow.ClickAsync();
            await Expect(page.GetByText("Backlinks", new() { Exact = true })).ToBeVisibleAsync();
            try
            {
                await backlink.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 10_000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} no delivery span among the backlinks yet (attempt {attempt}): reopening");
            }
        }

        await backlink.ScrollIntoViewIfNeededAsync();
        await Expect(backlink).ToBeVisibleAsync();
    }

    /// <summary>The state cell of <paramref name="name"/> when it says exactly "Running" (running and healthy).</summary>
    private static ILocator RunningCell(IPage page, string name) =>
        ResourceRow(page, name).GetByRole(AriaRole.Gridcell, new() { Name = "Running", Exact = true });

    /// <summary>The resources grid's row of <paramref name="name"/>: its first cell reads "Type: name" (e.g. "Project: api-0").</summary>
    private static ILocator ResourceRow(IPage page, string name) =>
        page.GetByRole(AriaRole.Row).Filter(new()
        {
            Has = page.GetByRole(AriaRole.Gridcell, new() { NameRegex = new Regex($"^\\w+: {Regex.Escape(name)}$") }),
        });

    /// <summary>A trace row's tag for an Api replica's spans, titled e.g. "api-1 spans\nTotal: 3".</summary>
    [GeneratedRegex(@"^api-\d spans")]
    private static partial Regex ApiReplicaSpans();

    /// <summary>A delivery span as the dashboard titles a link to it: "api-1: deliver" (DeliverySpans.Name).</summary>
    [GeneratedRegex(@"^api-\d: deliver$")]
    private static partial Regex DeliverySpanTitle();

    private async Task Screenshot(IPage page, string fileName)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, fileName);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} screenshot: {path}");
    }
}
