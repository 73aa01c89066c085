using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace TaskEvents.Gateway.Tests;

/// <summary>Server-Sent Events through the gateway: live, resumable, unbuffered, uncompressed, traced.</summary>
public sealed class StreamingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Streams_live_events_and_resumes_after_the_last_event_id()
    {
        using var client = fixture.Gateway.CreateHttpClient();
        await client.CreateTaskAsync("resumable");
        using var timeout = new CancellationTokenSource(Timeout);
        const string path = "/sse/tasks/resumable/events?batch_size=1";

        using (var stream = await SseWireReader.OpenAsync(client, path))
        {
            await client.AppendAsync("resumable", "step.a", "step.b", "step.c");
            Assert.Equal([1L, 2L, 3L], Seqs(await stream.ReadEventsAsync(3, timeout.Token)));
        }

        await client.AppendAsync("resumable", "step.d", "step.e");
        using var resumed = await SseWireReader.OpenAsync(client, path, lastEventId: "3");
        Assert.Equal([4L, 5L], Seqs(await resumed.ReadEventsAsync(2, timeout.Token)));
        await client.AppendAsync("resumable", "task_completed");
        Assert.Equal([6L], Seqs(await resumed.ReadEventsAsync(1, timeout.Token)));
        var end = await resumed.ReadDataFrameAsync(timeout.Token);
        Assert.Equal("end", JsonElement.Parse(end!.Data!).GetProperty("type").GetString());
        Assert.Null(await resumed.ReadFrameAsync(timeout.Token));
    }

    [Fact]
    public async Task A_single_event_is_not_held_back()
    {
        using var client = fixture.Gateway.CreateHttpClient();
        await client.CreateTaskAsync("unbuffered");
        using var stream = await SseWireReader.OpenAsync(client, "/sse/tasks/unbuffered/events?batch_size=1");
        using var timeout = new CancellationTokenSource(Timeout);
        Assert.NotNull((await stream.ReadFrameAsync(timeout.Token))?.Retry);

        // Nothing else will follow for 30 s (the keepalive interval): a proxy that buffered would sit on this event.
        var appended = Stopwatch.StartNew();
        await client.AppendAsync("unbuffered", "step");
        var frame = await stream.ReadDataFrameAsync(timeout.Token);

        Assert.Equal("1", frame?.Id);
        Assert.True(appended.Elapsed < TimeSpan.FromSeconds(5), $"The event took {appended.Elapsed.TotalMilliseconds:F0} ms.");
    }

    [Fact]
    public async Task Streams_are_never_compressed()
    {
        using var client = fixture.Gateway.CreateHttpClient();
        await client.CreateTaskAsync("uncompressed");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/sse/tasks/uncompressed/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.AcceptEncoding.ParseAdd("gzip, br, deflate");

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        var forwarded = Assert.Single(fixture.Api.ReceivedRequests, r => r.Path == "/sse/tasks/uncompressed/events");
        Assert.Null(forwarded.Header("Accept-Encoding"));
    }

    [Fact]
    public async Task Forwards_the_client_address_and_the_trace_context()
    {
        using var client = fixture.Gateway.CreateHttpClient();
        var traceId = ActivityTraceId.CreateRandom();
        using var caller = new Activity("caller").SetParentId(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start();

        using var response = await client.GetAsync("/api/tasks/traced");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var forwarded = Assert.Single(fixture.Api.ReceivedRequests, r => r.Path == "/api/tasks/traced");
        Assert.Equal("127.0.0.1", forwarded.Header("X-Forwarded-For"));
        Assert.Equal("http", forwarded.Header("X-Forwarded-Proto"));
        Assert.Equal(fixture.Gateway.BaseAddress.Authority, forwarded.Header("X-Forwarded-Host"));
        Assert.Equal(traceId.ToHexString(), forwarded.Header("traceparent")?.Split('-')[1]);
    }

    private static List<long> Seqs(List<JsonElement> events) => [.. events.Select(e => e.GetProperty("seq").GetInt64())];
}
