using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TaskEvents.Client.Tests.TestServers;

namespace TaskEvents.Client.Tests;

public sealed class AppendRetryTests
{
    [Fact]
    public async Task A_retried_append_whose_first_answer_was_lost_stores_each_event_once()
    {
        await using var api = await ApiHost.StartAsync();
        await using var proxy = await ForwardingProxy.StartAsync(api.BaseAddress);
        using var client = TestClients.Create(proxy.BaseAddress);
        await client.CreateTaskAsync("retry-1");
        // The first append reaches the database, then its connection dies before the answer arrives.
        proxy.LoseResponse = request => request.Method == "POST" && request.Path.EndsWith("/events", StringComparison.Ordinal)
            && proxy.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/events", StringComparison.Ordinal)) == 1;

        var result = await client.AppendAsync("retry-1", TestClients.Notes(3));

        var posts = proxy.Requests.Where(r => r.Method == "POST" && r.Path == "/api/tasks/retry-1/events").ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0].Body, posts[1].Body);
        Assert.All(result.Events, appended => Assert.True(appended.Duplicate));
        Assert.Equal([1L, 2L, 3L], result.Events.Select(e => e.Seq));
        var stored = await client.GetEventsAsync("retry-1");
        Assert.Equal([1L, 2L, 3L], stored.Events.Select(e => e.Seq));
        Assert.Equal(result.Events.Select(e => e.EventId), stored.Events.Select(e => e.EventId));
    }

    [Fact]
    public async Task A_503_is_retried_no_sooner_than_its_retry_after()
    {
        await using var server = await ScriptedServer.StartAsync(async (context, request) =>
        {
            if (request.Number == 1)
            {
                context.Response.Headers.RetryAfter = "1";
                await SseResponses.WriteProblemAsync(context, 503, "The event store is unavailable.");
                return;
            }

            var eventId = JsonDocument.Parse(request.Body).RootElement.GetProperty("events")[0].GetProperty("event_id").GetString();
            context.Response.StatusCode = 201;
            await context.Response.WriteAsJsonAsync(new { task_id = "t", last_seq = 1, events = new[] { new { seq = 1, event_id = eventId, duplicate = false } } });
        });
        using var client = TestClients.Create(server.BaseAddress);

        var result = await client.AppendAsync("t", new NewTaskEvent("note"));

        Assert.Equal(1, result.LastSeq);
        var requests = server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.95),
            $"retried after {(requests[1].ReceivedAt - requests[0].ReceivedAt).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Gives_up_after_the_configured_attempts()
    {
        await using var server = await ScriptedServer.StartAsync((context, _) =>
        {
            context.Response.Headers.RetryAfter = "0";
            return SseResponses.WriteProblemAsync(context, 503, "The event store is unavailable.");
        });
        using var client = TestClients.Create(server.BaseAddress, options => options.MaxRequestAttempts = 3);

        var error = await Assert.ThrowsAsync<TaskEventsUnavailableException>(
            () => client.AppendAsync("t", new NewTaskEvent("note")).WaitAsync(SubscriptionRecorder.DefaultWait));

        Assert.Equal(3, server.Requests.Count);
        Assert.Contains("after 3 attempt(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registered_with_the_http_client_factory_it_retries_alone_even_under_standard_resilience_defaults()
    {
        await using var server = await ScriptedServer.StartAsync((context, _) =>
        {
            context.Response.Headers.RetryAfter = "0";
            return SseResponses.WriteProblemAsync(context, 503, "The event store is unavailable.");
        });
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        // What ServiceDefaults does for every HttpClient of a service.
        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        services.AddTaskEventsClient(options =>
        {
            options.BaseAddress = server.BaseAddress;
            options.MaxRequestAttempts = 2;
            options.RetryDelay = TimeSpan.FromMilliseconds(10);
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TaskEventsClient>();

        var stopwatch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<TaskEventsUnavailableException>(() => client.AppendAsync("t", new NewTaskEvent("note")));

        Assert.Equal(2, server.Requests.Count);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Rejects_invalid_options_when_constructed()
    {
        using var http = new HttpClient();
        var error = Assert.Throws<ArgumentException>(() => new TaskEventsClient(
            http, new TaskEventsClientOptions { BaseAddress = new Uri("http://localhost/"), GapFillPageSize = 0, KeepaliveInterval = TimeSpan.Zero }));

        Assert.Contains("GapFillPageSize", error.Message, StringComparison.Ordinal);
        Assert.Contains("KeepaliveInterval", error.Message, StringComparison.Ordinal);
    }
}
