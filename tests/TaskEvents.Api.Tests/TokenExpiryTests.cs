using System.Net;
using System.Text.Json;

namespace TaskEvents.Api.Tests;

/// <summary>A stream lives no longer than its token: at the token's exp it says <c>reconnect</c> / <c>token_expired</c> and closes.</summary>
public sealed class TokenExpiryTests : ApiTestBase
{
    /// <summary>How late after exp the goodbye may come: a timer, not a poll, so well under a second on an idle machine.</summary>
    private static readonly TimeSpan Punctuality = TimeSpan.FromSeconds(2);

    /// <summary>Timers run on a monotonic clock of millisecond ticks; against the wall clock they may fire a hair early.</summary>
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromMilliseconds(100);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.CreateTaskAsync("t1");
    }

    [Fact]
    public async Task A_stream_ends_with_reconnect_token_expired_when_its_token_expires_and_a_fresh_token_resumes_exactly_after_it()
    {
        await Client.AppendAsync("t1", "a", "b");
        var token = TestTokens.ValidFor(TimeSpan.FromSeconds(3));
        var expiresAt = TestTokens.ExpiresAt(token);
        using var shortLived = Api.CreateHttpClient(token);
        using var stream = await SseWireReader.OpenAsync(shortLived, "/sse/tasks/t1/events?batch_size=1", cancellationToken: Within());
        var events = await stream.ReadEventsAsync(2, Within());

        // Live events still flow while the token is valid.
        await Client.AppendAsync("t1", "c");
        events.AddRange(await stream.ReadEventsAsync(1, Within()));
        Assert.True(DateTimeOffset.UtcNow < expiresAt, "the live event should have arrived before the token expired; the machine is too slow for this test");

        var goodbye = await stream.ReadDataFrameAsync(Within());
        var arrived = DateTimeOffset.UtcNow;

        Assert.NotNull(goodbye);
        Assert.Null(goodbye.Id);
        var control = JsonElement.Parse(goodbye.Data!);
        Assert.Equal("reconnect", control.GetProperty("type").GetString());
        Assert.Equal("token_expired", control.GetProperty("reason").GetString());
        Assert.Equal(3, control.GetProperty("last_seq").GetInt64());
        Assert.InRange(arrived, expiresAt - ClockTolerance, expiresAt + Punctuality);
        Assert.Null(await stream.ReadFrameAsync(Within()));

        // Events appended while the client was away come on the resumed stream: nothing lost, nothing repeated.
        await Client.AppendAsync("t1", "d", "e");
        using var refreshed = Api.CreateHttpClient(TestTokens.ValidFor(TimeSpan.FromMinutes(5)));
        using var resumed = await SseWireReader.OpenAsync(refreshed, "/sse/tasks/t1/events?batch_size=1", lastEventId: "3", cancellationToken: Within());
        await Client.AppendAsync("t1", "task_completed");
        events.AddRange(await resumed.ReadEventsAsync(3, Within()));
        var end = JsonElement.Parse((await resumed.ReadDataFrameAsync(Within()))!.Data!);

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], events.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Equal("end", end.GetProperty("type").GetString());
        Assert.Equal(6, end.GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task Events_held_for_a_batch_go_out_before_the_token_expired_message()
    {
        await Client.AppendAsync("t1", "a", "b", "c");
        var token = TestTokens.ValidFor(TimeSpan.FromSeconds(3));
        using var shortLived = Api.CreateHttpClient(token);

        // A partial batch waits up to flush_interval (5 s), longer than the token lives: expiry must flush it first.
        using var stream = await SseWireReader.OpenAsync(shortLived, "/sse/tasks/t1/events?batch_size=10&flush_interval=5", cancellationToken: Within());
        var events = await stream.ReadEventsAsync(3, Within());
        var goodbye = JsonElement.Parse((await stream.ReadDataFrameAsync(Within()))!.Data!);

        Assert.Equal([1L, 2L, 3L], events.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Equal("token_expired", goodbye.GetProperty("reason").GetString());
        Assert.Equal(3, goodbye.GetProperty("last_seq").GetInt64());
        Assert.Null(await stream.ReadFrameAsync(Within()));
    }

    [Fact]
    public async Task An_idle_stream_ends_at_expiry_without_waiting_for_a_keepalive()
    {
        var token = TestTokens.ValidFor(TimeSpan.FromSeconds(3));
        var expiresAt = TestTokens.ExpiresAt(token);
        using var shortLived = Api.CreateHttpClient(token);
        using var stream = await SseWireReader.OpenAsync(shortLived, "/sse/tasks/t1/events?since_seq=0", cancellationToken: Within());

        var goodbye = await stream.ReadDataFrameAsync(Within());

        Assert.InRange(DateTimeOffset.UtcNow, expiresAt - ClockTolerance, expiresAt + Punctuality);
        var control = JsonElement.Parse(goodbye!.Data!);
        Assert.Equal("token_expired", control.GetProperty("reason").GetString());
        Assert.Equal(0, control.GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task A_stream_whose_token_is_expired_at_open_is_refused_401_even_within_the_clock_skew()
    {
        // The tests' hosts accept 5 s of clock skew: this token still passes JwtBearer, and a REST read with it works.
        using var justExpired = Api.CreateHttpClient(TestTokens.Create(expires: DateTime.UtcNow.AddSeconds(-2)));
        using (var read = await justExpired.GetAsync("/api/tasks/t1/events"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using var stream = await SseWireReader.OpenAsync(justExpired, "/sse/tasks/t1/events", cancellationToken: Within());

        Assert.Equal(HttpStatusCode.Unauthorized, stream.Response.StatusCode);
        Assert.Equal("application/problem+json", stream.Response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("invalid_token", stream.Response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_stream_with_a_long_expired_token_is_refused_401()
    {
        using var expired = Api.CreateHttpClient(TestTokens.Expired());

        using var stream = await SseWireReader.OpenAsync(expired, "/sse/tasks/t1/events", cancellationToken: Within());

        Assert.Equal(HttpStatusCode.Unauthorized, stream.Response.StatusCode);
        Assert.Equal("application/problem+json", stream.Response.Content.Headers.ContentType?.MediaType);
    }
}
