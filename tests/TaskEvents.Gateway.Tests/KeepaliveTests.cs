using System.Diagnostics;
using System.Net;

namespace TaskEvents.Gateway.Tests;

/// <summary>
/// The cluster's ActivityTimeout cuts an upstream that says nothing; the Api's keepalives are what keep an idle
/// stream open through it. Shortened here: a 2 s activity timeout (and a 2 s REST request timeout, which streams
/// are exempt from) against 0.2 s keepalives. The margin is ten keepalives: with the whole suite sharing two cores, a
/// 1 s timeout was once cut by a keepalive that came late (seen once in a full run).
/// </summary>
public sealed class KeepaliveTests : IAsyncLifetime
{
    private static readonly TimeSpan ActivityTimeout = TimeSpan.FromSeconds(2);
    private static readonly Dictionary<string, string?> ShortTimeouts = new()
    {
        ["ReverseProxy:Clusters:api:HttpRequest:ActivityTimeout"] = "00:00:02",
        ["RestTimeout:Seconds"] = "2",
    };

    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHost.StartAsync(settings: new Dictionary<string, string?> { ["Sse:KeepaliveInterval"] = "0.2" });
        using var client = _api.CreateHttpClient();
        await client.CreateTaskAsync("idle");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task An_idle_stream_outlives_several_activity_timeouts_thanks_to_keepalives()
    {
        await using var gateway = await GatewayHost.StartAsync(_api, ShortTimeouts);
        using var client = gateway.CreateHttpClient();
        using var stream = await SseWireReader.OpenAsync(client, "/sse/tasks/idle/events?batch_size=1");
        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var idle = Stopwatch.StartNew();
        var keepalives = 0;
        while (idle.Elapsed < 4 * ActivityTimeout)
        {
            var frame = await stream.ReadFrameAsync(timeout.Token) ?? throw new InvalidOperationException($"The stream closed after {idle.Elapsed.TotalSeconds:F1} s idle.");
            keepalives += frame.Comment == "keepalive" ? 1 : 0;
        }

        await client.AppendAsync("idle", "finally.something");
        var events = await stream.ReadEventsAsync(1, timeout.Token);

        Assert.True(keepalives >= 4, $"Only {keepalives} keepalives in {idle.Elapsed.TotalSeconds:F1} s.");
        Assert.Equal("finally.something", events[0].GetProperty("event_type").GetString());
    }

    [Fact]
    public async Task A_silent_stream_is_cut_at_the_activity_timeout()
    {
        // A proxied stream: a shared one reopens its silent upstream itself and its subscribers stay (FanOutTests).
        await using var quiet = await ApiHost.StartAsync(_api.ConnectionString);
        await using var gateway = await GatewayHost.StartAsync(quiet, GatewayHost.ProxyingEveryStream(ShortTimeouts));
        using var client = gateway.CreateHttpClient();
        using var stream = await SseWireReader.OpenAsync(client, "/sse/tasks/idle/events");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.NotNull((await stream.ReadFrameAsync(timeout.Token))?.Retry);
        var idle = Stopwatch.StartNew();

        var cut = await ReadsToTheEndAsync(stream, timeout.Token);

        Assert.True(cut, "The stream should have been cut.");
        Assert.InRange(idle.Elapsed, ActivityTimeout * 0.8, TimeSpan.FromSeconds(10));
    }

    private static async Task<bool> ReadsToTheEndAsync(SseWireReader stream, CancellationToken cancellationToken)
    {
        try
        {
            while (await stream.ReadFrameAsync(cancellationToken) is not null)
            {
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return true;
        }
    }
}
