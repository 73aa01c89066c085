using System.Net;
using TaskEvents.Client.Tests.TestServers;

namespace TaskEvents.Client.Tests;

public sealed class AuthAndErrorTests
{
    [Fact]
    public async Task A_401_ends_the_subscription_without_retrying()
    {
        await using var server = await ScriptedServer.StartAsync((context, _) => SseResponses.WriteProblemAsync(context, 401, "Unauthorized"));
        using var client = TestClients.Create(server.BaseAddress);

        var error = await Assert.ThrowsAsync<TaskEventsAuthenticationException>(
            () => client.SubscribeAsync("locked").ToListAsync().AsTask().WaitAsync(SubscriptionRecorder.DefaultWait));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("Unauthorized", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_401_asks_the_token_provider_once_for_a_fresh_token_then_gives_up()
    {
        await using var server = await ScriptedServer.StartAsync((context, _) => SseResponses.WriteProblemAsync(context, 401, "Unauthorized"));
        var asked = new List<bool>();
        using var client = TestClients.Create(server.BaseAddress, options => options.AccessTokenProvider = (refresh, _) =>
        {
            asked.Add(refresh);
            return ValueTask.FromResult<string?>(refresh ? "token-2" : "token-1");
        });

        await Assert.ThrowsAsync<TaskEventsAuthenticationException>(
            () => client.SubscribeAsync("locked").ToListAsync().AsTask().WaitAsync(SubscriptionRecorder.DefaultWait));

        Assert.Equal([false, true], asked);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], server.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task A_refreshed_token_lets_the_subscription_and_appends_continue()
    {
        await using var server = await ScriptedServer.StartAsync(async (context, request) =>
        {
            if (request.Authorization != "Bearer fresh")
            {
                await SseResponses.WriteProblemAsync(context, 401, "Token expired");
                return;
            }

            await SseResponses.StartStreamAsync(context);
            await SseResponses.WriteEventAsync(context, "t-1", 1, TerminalEventTypes.Completed);
            await SseResponses.WriteEndAsync(context, 1);
        });
        using var client = TestClients.Create(server.BaseAddress, options =>
            options.AccessTokenProvider = (refresh, _) => ValueTask.FromResult<string?>(refresh ? "fresh" : "stale"));

        var events = await client.SubscribeAsync("t-1").ToListAsync().AsTask().WaitAsync(SubscriptionRecorder.DefaultWait);

        Assert.Equal([1L], events.Select(e => e.Seq));
        Assert.Equal(["Bearer stale", "Bearer fresh"], server.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task A_403_ends_the_subscription_without_retrying()
    {
        await using var server = await ScriptedServer.StartAsync((context, _) => SseResponses.WriteProblemAsync(context, 403, "Missing scope events:read"));
        using var client = TestClients.Create(server.BaseAddress, options => options.AccessTokenProvider = (_, _) => ValueTask.FromResult<string?>("t"));

        var error = await Assert.ThrowsAsync<TaskEventsForbiddenException>(
            () => client.SubscribeAsync("t-1").ToListAsync().AsTask().WaitAsync(SubscriptionRecorder.DefaultWait));

        Assert.Contains("events:read", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_unknown_task_is_a_not_found_error_after_one_request()
    {
        await using var api = await ApiHost.StartAsync();
        await using var proxy = await ForwardingProxy.StartAsync(api.BaseAddress);
        using var client = TestClients.Create(proxy.BaseAddress);

        var subscribing = await Assert.ThrowsAsync<TaskNotFoundException>(
            () => client.SubscribeAsync("missing").ToListAsync().AsTask().WaitAsync(SubscriptionRecorder.DefaultWait));
        var appending = await Assert.ThrowsAsync<TaskNotFoundException>(() => client.AppendAsync("missing", new NewTaskEvent("note")));

        Assert.Contains("There is no task 'missing'", subscribing.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, appending.StatusCode);
        Assert.Equal(["GET /sse/tasks/missing/events", "POST /api/tasks/missing/events"], proxy.Requests.Select(r => $"{r.Method} {r.Path}"));
    }

    [Fact]
    public async Task Appending_to_an_ended_task_is_a_task_ended_error()
    {
        await using var api = await ApiHost.StartAsync();
        using var client = TestClients.Create(api.BaseAddress);
        await client.CreateTaskAsync("over");
        await client.AppendAsync("over", new NewTaskEvent(TerminalEventTypes.Completed));

        await Assert.ThrowsAsync<TaskEndedException>(() => client.AppendAsync("over", new NewTaskEvent("note")));
        await Assert.ThrowsAsync<TaskAlreadyExistsException>(() => client.CreateTaskAsync("over"));
    }
}
