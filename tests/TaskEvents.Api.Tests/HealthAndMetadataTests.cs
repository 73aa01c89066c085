using System.Net;
using System.Text.Json;

namespace TaskEvents.Api.Tests;

public sealed class HealthAndMetadataTests : ApiTestBase
{
    [Fact]
    public async Task Health_is_ready_with_the_database_and_alive()
    {
        using var health = await Client.GetAsync("/health");
        using var alive = await Client.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task Stream_health_reports_the_seed_fields_and_live_connection_count()
    {
        await Client.CreateTaskAsync("t1");
        var idle = await Client.GetJsonAsync("/sse/health");
        Assert.Equal("ok", idle.GetProperty("status").GetString());
        Assert.Equal("task_events_sse", idle.GetProperty("service").GetString());
        Assert.Equal("sse", idle.GetProperty("protocol").GetString());
        Assert.False(string.IsNullOrEmpty(idle.GetProperty("version").GetString()));
        Assert.Equal(0, idle.GetProperty("active_connections").GetInt32());

        var stream = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events", cancellationToken: Within());
        await stream.ReadFrameAsync(Within());
        await Poll.UntilAsync(async () => (await Client.GetJsonAsync("/sse/health")).GetProperty("active_connections").GetInt32() == 1,
            TimeSpan.FromSeconds(10), "one active connection");

        stream.Dispose();
        await Poll.UntilAsync(async () => (await Client.GetJsonAsync("/sse/health")).GetProperty("active_connections").GetInt32() == 0,
            TimeSpan.FromSeconds(10), "no active connection");
    }

    [Fact]
    public async Task Metrics_expose_the_event_channel_instruments()
    {
        await Client.CreateTaskAsync("t1");
        using var stream = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events?batch_size=1", cancellationToken: Within());
        await Client.AppendAsync("t1", "a");
        await stream.ReadEventsAsync(1, Within());

        var metrics = "";
        await Poll.UntilAsync(async () => (metrics = await Client.GetStringAsync("/metrics")).Contains("taskevents_delivery_latency", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "delivery latency metric");

        Assert.Contains("taskevents_events_appended", metrics);
        Assert.Contains("taskevents_events_delivered", metrics);
        Assert.Contains("taskevents_sse_active_connections", metrics);
    }

    [Fact]
    public async Task Serves_an_openapi_document_with_every_endpoint()
    {
        var document = await Client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/tasks/{task_id}/events", document);
        Assert.Contains("/sse/tasks/{task_id}/events", document);
    }

    [Fact]
    public async Task The_openapi_document_describes_each_answer_of_the_task_endpoints()
    {
        var paths = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");

        string[] Statuses(string path, string method) =>
            [.. paths.GetProperty(path).GetProperty(method).GetProperty("responses").EnumerateObject().Select(r => r.Name).Order()];

        Assert.Equal(["201", "400", "401", "403", "409", "413", "415", "503"], Statuses("/api/tasks", "post"));
        Assert.Equal(["200", "400", "401", "403", "404", "503"], Statuses("/api/tasks/{task_id}", "get"));
        Assert.Equal(["200", "201", "400", "401", "403", "404", "409", "413", "415", "503"], Statuses("/api/tasks/{task_id}/events", "post"));
        Assert.Equal(["200", "400", "401", "403", "404", "503"], Statuses("/api/tasks/{task_id}/events", "get"));
        Assert.Equal(["200", "400", "401", "403", "404", "503"], Statuses("/sse/tasks/{task_id}/events", "get"));
        Assert.Equal(["200"], Statuses("/sse/health", "get"));
    }

    [Theory]
    [InlineData("/openapi/v2.json")]
    [InlineData("/openapi/v1.json.json")]
    [InlineData("/openapi/v:.json")]
    public async Task Other_openapi_document_names_are_404_problem_json(string path)
    {
        // Found by fuzzing (SecurityTests): these were plain-text 404s from the document generator.
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_routes_are_404_problem_json()
    {
        using var response = await Client.GetAsync("/nothing/here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
