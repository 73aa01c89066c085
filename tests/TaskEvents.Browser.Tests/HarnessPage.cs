using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;

namespace TaskEvents.Browser.Tests;

/// <summary>
/// A page at the gateway's origin (so the client modules load as they do in production, under the gateway's CSP)
/// whose HTML and script come from this test project through a Playwright route, never from the product's wwwroot.
/// The script drives the real EventStreamService and ConnectionStatus and records events, states and errors.
/// </summary>
public sealed class HarnessPage : IAsyncDisposable
{
    private const string HarnessPath = "/__e2e__/";
    private const string Csp = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'";

    private readonly ConcurrentQueue<Uri> _requests = new();

    private HarnessPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Request += (_, request) => _requests.Enqueue(new Uri(request.Url));
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Every stream request the page made (<c>/sse/tasks/...</c>), in order.</summary>
    public IReadOnlyList<Uri> StreamRequests => [.. _requests.Where(u => u.AbsolutePath.StartsWith("/sse/tasks/", StringComparison.Ordinal))];

    /// <summary>Every REST read of events the page made (<c>/api/tasks/{id}/events</c>), in order.</summary>
    public IReadOnlyList<Uri> EventReads => [.. _requests.Where(u => u.AbsolutePath.StartsWith("/api/tasks/", StringComparison.Ordinal) && u.AbsolutePath.EndsWith("/events", StringComparison.Ordinal))];

    /// <param name="beforeLoad">Runs on the new context before the page loads (routes, clock).</param>
    public static async Task<HarnessPage> OpenAsync(BrowserFixture fixture, Func<IBrowserContext, Task>? beforeLoad = null)
    {
        var context = await fixture.NewContextAsync();
        await context.RouteAsync($"**{HarnessPath}*", async route =>
        {
            var name = Path.GetFileName(new Uri(route.Request.Url).AbsolutePath);
            var file = Path.Combine(AppContext.BaseDirectory, "Harness", name);
            await route.FulfillAsync(new RouteFulfillOptions
            {
                Path = file,
                ContentType = name.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/html",
                Headers = new Dictionary<string, string> { ["Content-Security-Policy"] = Csp },
            });
        });
        if (beforeLoad is not null)
        {
            await beforeLoad(context);
        }

        var page = await context.NewPageAsync();
        var harness = new HarnessPage(context, page);
        await harness.LoadAsync();
        return harness;
    }

    public async Task LoadAsync()
    {
        await Page.GotoAsync($"{HarnessPath}harness.html");
        await Page.WaitForFunctionAsync("() => window.harness !== undefined");
    }

    public Task ReloadAsync() => LoadAsync();

    /// <summary>Creates and starts an EventStreamService for <paramref name="taskId"/> with these options (JSON-serializable).</summary>
    public Task StartAsync(string taskId, object options) =>
        Page.EvaluateAsync("([taskId, options]) => harness.start(taskId, options)", new object[] { taskId, options });

    public Task EvaluateAsync(string expression) => Page.EvaluateAsync(expression);

    public Task WaitForAsync(string condition, object? arg = null, float timeoutMs = 20_000) =>
        ExplainTimeoutAsync(condition, () => Page.WaitForFunctionAsync(condition, arg, new PageWaitForFunctionOptions { Timeout = timeoutMs, PollingInterval = 25 }));

    public Task WaitForEventsAsync(int count) => WaitForAsync($"() => harness.events.length >= {count}");

    /// <summary>Waits until the service has been in <paramref name="state"/> (with that reason, if given) at some point.</summary>
    public Task WaitForStateAsync(string state, string? reason = null) =>
        WaitForAsync("([state, reason]) => harness.states.some(s => s.state === state && (reason === null || s.reason === reason))", new object?[] { state, reason });

    /// <summary>A timeout says what the page had seen, so a failure can be understood from the test log alone.</summary>
    private async Task ExplainTimeoutAsync(string condition, Func<Task> wait)
    {
        try
        {
            await wait();
        }
        catch (TimeoutException ex)
        {
            var seen = await Page.EvaluateAsync<string>(
                "() => JSON.stringify({ events: harness.events.length, last: harness.events.slice(-5), states: harness.states.slice(-10), errors: harness.errors.slice(-5) })");
            var streams = StreamRequests;
            throw new TimeoutException(
                $"Not true in time: {condition}. Page saw (latest): {seen}. {streams.Count} stream request(s), last: {streams.LastOrDefault()?.PathAndQuery}", ex);
        }
    }

    public async Task<long[]> DeliveredAsync() => await Page.EvaluateAsync<long[]>("() => harness.events");

    public async Task<string> StateAsync() => await Page.EvaluateAsync<string>("() => harness.stream.getState()");

    public async Task<JsonElement> StatsAsync() => await Page.EvaluateAsync<JsonElement>("() => harness.stream.getStats()");

    public async Task<JsonElement> StatesAsync() => await Page.EvaluateAsync<JsonElement>("() => harness.states");

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
