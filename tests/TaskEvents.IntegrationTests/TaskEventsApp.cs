using System.Net.Http.Json;
using System.Text.Json;

namespace TaskEvents.IntegrationTests;

/// <summary>The whole system from the AppHost's app model, started for one test, its logs in the test output.</summary>
internal sealed class TaskEventsApp : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private TaskEventsApp(DistributedApplication app) => App = app;

    public DistributedApplication App { get; }

    public Uri Gateway => App.GetEndpoint("gateway");

    public static async Task<TaskEventsApp> StartAsync(ITestOutputHelper output, bool dashboard = false)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync([], options => options.DisableDashboard = !dashboard);
        builder.WithResourceLogs(line =>
        {
            try
            {
                output.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // The test has finished; lines written while stopping have nowhere to go.
            }
        });
        var app = await builder.BuildAsync();
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            await app.StartAsync(timeout.Token);
            await app.WaitForHealthyAsync("gateway", timeout.Token);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new TaskEventsApp(app);
    }

    /// <summary>A token from the gateway's development token endpoint, as a developer would get one.</summary>
    public async Task<string> DevTokenAsync()
    {
        using var client = App.CreateHttpClient("gateway");
        using var response = await client.PostAsJsonAsync("/auth/dev-token", new { });
        response.EnsureSuccessStatusCode();
        return JsonElement.Parse(await response.Content.ReadAsStringAsync()).GetProperty("access_token").GetString()!;
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
