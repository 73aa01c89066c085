using TaskEvents.Client.Tests.TestServers;

namespace TaskEvents.Client.Tests;

/// <summary>
/// The Api ends a stream when its token expires (<c>reconnect</c> / <c>token_expired</c>): the client comes back at
/// once with a freshly refreshed token and resumes after the last event; a refresh that fails ends the subscription.
/// </summary>
public sealed class TokenExpiryTests
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_subscription_spanning_several_token_expiries_gets_every_event_once_with_a_fresh_token_each_time()
    {
        await using var api = await ApiHost.StartAsync();
        await using var proxy = await ForwardingProxy.StartAsync(api.BaseAddress);
        using var producer = TestClients.Create(api.BaseAddress);
        await producer.CreateTaskAsync("expiring-1");
        var tokens = new ExpiringTokenSource(TokenLifetime);

        // With a clock that never advances, any backoff wait would hang: only an immediate reconnect gets through.
        using var client = TestClients.Create(proxy.BaseAddress, options =>
        {
            options.AccessTokenProvider = tokens.GetAsync;
            options.TimeProvider = new FrozenTimeProvider();
            options.BatchSize = 1;
        });
        await using var subscription = SubscriptionRecorder.Start(client, "expiring-1");

        // One event at a time, each awaited at the subscriber, until three tokens have expired under the stream; an
        // event appended while the client is reconnecting comes with the catch-up of the next stream.
        var appended = 0;
        while (tokens.Refreshes < 3)
        {
            await producer.AppendAsync("expiring-1", TestClients.Notes(1));
            appended++;
            await subscription.WaitForCountAsync(appended);
        }

        await producer.AppendAsync("expiring-1", new NewTaskEvent(TerminalEventTypes.Completed));
        await subscription.WaitForCompletionAsync();

        Assert.Equal(Enumerable.Range(1, appended + 1).Select(i => (long)i), subscription.Seqs);
        Assert.Equal(3, tokens.Refreshes);
        var streams = proxy.Requests.Where(r => r.IsStream).ToList();
        // One stream per token, each opened with the token just issued (no 401 and retry), each resuming where the last ended.
        Assert.Equal(4, streams.Count);
        Assert.Equal(4, streams.Select(s => s.Authorization).Distinct().Count());
        Assert.Null(streams[0].LastEventId);
        Assert.All(streams.Skip(1), s => Assert.NotNull(s.LastEventId));
        // The streams alone delivered everything: no gap had to be filled over REST.
        Assert.DoesNotContain(proxy.Requests, r => r.Method == "GET" && !r.IsStream);
    }

    [Fact]
    public async Task A_refresh_that_throws_ends_the_subscription_with_its_error_instead_of_reconnecting()
    {
        await using var api = await ApiHost.StartAsync();
        await using var proxy = await ForwardingProxy.StartAsync(api.BaseAddress);
        using var producer = TestClients.Create(api.BaseAddress);
        await producer.CreateTaskAsync("expiring-2");
        await producer.AppendAsync("expiring-2", TestClients.Notes(2));
        var tokens = new ExpiringTokenSource(TokenLifetime) { FailRefresh = () => throw new InvalidOperationException("the identity provider is unreachable") };
        using var client = TestClients.Create(proxy.BaseAddress, options => options.AccessTokenProvider = tokens.GetAsync);
        await using var subscription = SubscriptionRecorder.Start(client, "expiring-2");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => subscription.WaitForCompletionAsync());

        Assert.Equal("the identity provider is unreachable", failure.Message);
        Assert.Equal([1L, 2L], subscription.Seqs);
        Assert.Equal(1, tokens.Refreshes);
        Assert.Single(proxy.Requests, r => r.IsStream);
    }

    [Fact]
    public async Task A_refresh_that_gives_no_token_ends_the_subscription_with_an_authentication_error()
    {
        await using var api = await ApiHost.StartAsync();
        await using var proxy = await ForwardingProxy.StartAsync(api.BaseAddress);
        using var producer = TestClients.Create(api.BaseAddress);
        await producer.CreateTaskAsync("expiring-3");
        await producer.AppendAsync("expiring-3", TestClients.Notes(1));
        var tokens = new ExpiringTokenSource(TokenLifetime) { FailRefresh = () => null };
        using var client = TestClients.Create(proxy.BaseAddress, options => options.AccessTokenProvider = tokens.GetAsync);
        await using var subscription = SubscriptionRecorder.Start(client, "expiring-3");

        await Assert.ThrowsAsync<TaskEventsAuthenticationException>(() => subscription.WaitForCompletionAsync());

        Assert.Equal([1L], subscription.Seqs);
        Assert.Equal(1, tokens.Refreshes);
        // The stream that expired, then one attempt without a token (401): no second refresh, no loop.
        Assert.Equal(2, proxy.Requests.Count(r => r.IsStream));
    }
}
