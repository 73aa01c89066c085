using System.Net;
using System.Text.Json;

namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>
/// One Api on a fresh database and a gateway in front of it (dev tokens on, rate limits out of the way: this is about
/// input, not volume), holding the tasks the fuzzer aims at. Events in the running task carry SSE-framing payloads.
/// </summary>
public sealed class FuzzEnvironment : IAsyncLifetime
{
    public const string Tenant = TestTokens.DefaultTenant;
    public const string ForeignTenant = "fuzz-other-tenant";

    public ApiHost Api { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public FuzzTasks Tasks { get; } = FuzzTasks.Default;

    public async Task InitializeAsync()
    {
        Api = await ApiHost.StartAsync();
        Gateway = await GatewayHost.StartAsync([Api], new Dictionary<string, string?>
        {
            ["DevTokens:Enabled"] = "true",
            ["RateLimits:RequestsPerSecond"] = "1000000",
            ["RateLimits:Burst"] = "1000000",
            ["RateLimits:StreamsPerClient"] = "1000000",
            ["RateLimits:StreamsTotal"] = "1000000",
        });

        using var client = Api.CreateHttpClient();
        await client.PostJsonAsync("/api/tasks", new { task_id = Tasks.Open, metadata = new { purpose = "fuzz target" } }, HttpStatusCode.Created);
        await client.PostJsonAsync($"/api/tasks/{Tasks.Open}/events", new
        {
            events = HostileValues.FramingBreakers.Select((text, i) => new { event_type = "step", payload = new Dictionary<string, string> { [text] = text, ["i"] = $"{i}" } }),
        }, HttpStatusCode.Created);
        await client.CreateTaskAsync(Tasks.Done);
        await client.PostJsonAsync($"/api/tasks/{Tasks.Done}/events", new
        {
            events = new object[] { new { event_id = "fuzz-done-end", event_type = "step" }, new { event_id = "e2", event_type = "task_completed" } },
        }, HttpStatusCode.Created);
        using var foreign = Api.CreateHttpClient(TestTokens.Create(tenant: ForeignTenant));
        await foreign.CreateTaskAsync(Tasks.Foreign);
        await foreign.AppendAsync(Tasks.Foreign, "step");
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Api.DisposeAsync();
    }

    /// <summary>Both services report healthy: the Api's readiness (with the database), the gateway's, and the stream service.</summary>
    public async Task<string?> UnhealthyAsync()
    {
        using var api = Api.CreateHttpClient(null);
        using var gateway = Gateway.CreateHttpClient(null);
        foreach (var (client, path) in new[] { (api, "/health"), (api, "/alive"), (gateway, "/health"), (gateway, "/sse/health") })
        {
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK || (path == "/sse/health" ? JsonElement.Parse(body).GetProperty("status").GetString() != "ok" : body != "Healthy"))
            {
                return $"{client.BaseAddress}{path[1..]} answered {(int)response.StatusCode}: {body}";
            }
        }

        return null;
    }
}
