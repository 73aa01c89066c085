using System.Net;
using System.Text.Json;

namespace TaskEvents.Gateway.Tests;

/// <summary>
/// The Api ends a stream when its token expires; the gateway forwards the same token (a query token as the header),
/// so the Api sees the same exp, and its <c>reconnect</c> / <c>token_expired</c> goodbye must reach the client unchanged.
/// </summary>
public sealed class TokenExpiryTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("header")]
    [InlineData("query")]
    public async Task The_token_expired_message_reaches_the_client_through_the_gateway_and_the_stream_closes(string tokenIn)
    {
        var taskId = $"expiring-{tokenIn}";
        using var owner = fixture.Gateway.CreateHttpClient();
        await owner.CreateTaskAsync(taskId);
        await owner.AppendAsync(taskId, "a", "b");
        var token = TestTokens.ValidFor(TimeSpan.FromSeconds(3));
        var expiresAt = TestTokens.ExpiresAt(token);
        using var follower = fixture.Gateway.CreateHttpClient(tokenIn == "header" ? token : null);
        var path = $"/sse/tasks/{taskId}/events?batch_size=1" + (tokenIn == "query" ? $"&access_token={token}" : "");
        using var timeout = new CancellationTokenSource(Timeout);

        using var stream = await SseWireReader.OpenAsync(follower, path, cancellationToken: timeout.Token);
        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        var events = await stream.ReadEventsAsync(2, timeout.Token);
        var goodbye = await stream.ReadDataFrameAsync(timeout.Token);

        Assert.Equal([1L, 2L], events.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.NotNull(goodbye);
        Assert.True(DateTimeOffset.UtcNow >= expiresAt.AddMilliseconds(-100), "the goodbye came before the token expired");
        var control = JsonElement.Parse(goodbye.Data!);
        Assert.Equal("reconnect", control.GetProperty("type").GetString());
        Assert.Equal("token_expired", control.GetProperty("reason").GetString());
        Assert.Equal(2, control.GetProperty("last_seq").GetInt64());
        Assert.Null(await stream.ReadFrameAsync(timeout.Token));

        // Through the gateway, a fresh token resumes right after it.
        await owner.AppendAsync(taskId, "c");
        using var refreshed = fixture.Gateway.CreateHttpClient(TestTokens.Create());
        using var resumed = await SseWireReader.OpenAsync(refreshed, $"/sse/tasks/{taskId}/events?batch_size=1", lastEventId: "2", cancellationToken: timeout.Token);
        Assert.Equal([3L], (await resumed.ReadEventsAsync(1, timeout.Token)).Select(e => e.GetProperty("seq").GetInt64()));
    }
}
