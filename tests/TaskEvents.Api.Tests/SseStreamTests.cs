using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace TaskEvents.Api.Tests;

public sealed class SseStreamTests : ApiTestBase
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.CreateTaskAsync("t1");
    }

    [Fact]
    public async Task Sends_the_stream_headers_and_a_retry_hint_first()
    {
        using var stream = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events", cancellationToken: Within());

        var response = stream.Response;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.False(response.Headers.Contains("Connection"));
        var first = await stream.ReadFrameAsync(Within());
        Assert.Equal("1000", first?.Retry);
    }

    [Fact]
    public async Task Each_event_carries_its_seq_as_id_and_its_json_as_data()
    {
        await Client.PostJsonAsync("/api/tasks/t1/events", new { event_type = "phase_enter", phase = "planning", payload = new { text = "a\n\ndata: fake" } }, HttpStatusCode.Created);
        using var stream = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events?batch_size=1", cancellationToken: Within());

        var frame = await stream.ReadDataFrameAsync(Within());

        Assert.Equal("1", frame?.Id);
        var data = JsonElement.Parse(frame!.Data!);
        Assert.Equal(1, data.GetProperty("seq").GetInt64());
        Assert.Equal("phase_enter", data.GetProperty("event_type").GetString());
        Assert.Equal("planning", data.GetProperty("phase").GetString());
        Assert.Equal("a\n\ndata: fake", data.GetProperty("payload").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Streams_catch_up_then_live_events_in_order()
    {
        await Client.AppendAsync("t1", "a", "b", "c");
        using var stream = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events?batch_size=1", cancellationToken: Within());
        var catchUp = await stream.ReadEventsAsync(3, Within());

        await Client.AppendAsync("t1", "d");
        await Client.AppendAsync("t1", "e");
        var live = await stream.ReadEventsAsync(2, Within());

        Assert.Equal([1L, 2L, 3L, 4L, 5L], catchUp.Concat(live).Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Equal(["a", "b", "c", "d", "e"], catchUp.Concat(live).Select(e => e.GetProperty("event_type").GetString()));
    }

    [Fact]
    public async Task Since_seq_is_exclusive()
    {
        await Client.AppendAsync("t1", "a", "b", "c", "d");
        using var stream = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events?since_seq=2&batch_size=1", cancellationToken: Within());

        var events = await stream.ReadEventsAsync(2, Within());

        Assert.Equal([3L, 4L], events.Select(e => e.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task Last_event_id_overrides_since_seq()
    {
        await Client.AppendAsync("t1", "a", "b", "c", "d");
        using var stream = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events?since_seq=0&batch_size=1", lastEventId: "3", cancellationToken: Within());

        var events = await stream.ReadEventsAsync(1, Within());

        Assert.Equal(4, events[0].GetProperty("seq").GetInt64());
    }

    [Theory]
    [InlineData("since_seq=-1")]
    [InlineData("since_seq=x")]
    [InlineData("batch_size=0")]
    [InlineData("batch_size=101")]
    [InlineData("batch_size=2.5")]
    [InlineData("flush_interval=0.05")]
    [InlineData("flush_interval=5.1")]
    [InlineData("flush_interval=NaN")]
    [InlineData("flush_interval=1e400")]
    [InlineData("since_seq=5")]
    public async Task Bad_parameters_are_400_before_any_stream(string query)
    {
        using var response = await Client.GetAsync($"/sse/tasks/t1/events?{query}", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.0")]
    public async Task A_malformed_last_event_id_is_400(string lastEventId)
    {
        using var stream = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events", lastEventId, Within());

        Assert.Equal(HttpStatusCode.BadRequest, stream.Response.StatusCode);
    }

    [Fact]
    public async Task Unknown_task_is_404_problem_json_not_an_endless_stream()
    {
        using var response = await Client.GetAsync("/sse/tasks/nope/events", HttpCompletionOption.ResponseHeadersRead, Within());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Sends_end_after_the_terminal_event_then_closes()
    {
        using var stream = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events?batch_size=1", cancellationToken: Within());
        await stream.ReadFrameAsync(Within());
        await Client.AppendAsync("t1", "step", "task_failed");

        var events = await stream.ReadEventsAsync(2, Within());
        var end = await stream.ReadDataFrameAsync(Within());

        Assert.Equal("task_failed", events[1].GetProperty("event_type").GetString());
        Assert.Null(end!.Id);
        var message = JsonElement.Parse(end.Data!);
        Assert.Equal("end", message.GetProperty("type").GetString());
        Assert.Equal(2, message.GetProperty("last_seq").GetInt64());
        Assert.Equal("failed", message.GetProperty("status").GetString());
        Assert.Null(await stream.ReadFrameAsync(Within()));
    }

    [Fact]
    public async Task A_finished_task_streamed_from_its_end_gets_end_at_once()
    {
        await Client.AppendAsync("t1", "step", "task_completed");
        using var stream = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events", lastEventId: "2", cancellationToken: Within());

        var end = JsonElement.Parse((await stream.ReadDataFrameAsync(Within()))!.Data!);

        Assert.Equal("end", end.GetProperty("type").GetString());
        Assert.Equal("completed", end.GetProperty("status").GetString());
        Assert.Null(await stream.ReadFrameAsync(Within()));
    }

    [Fact]
    public async Task A_full_batch_goes_out_at_once_without_waiting_for_the_flush_interval()
    {
        using var stream = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events?batch_size=3&flush_interval=5.0", cancellationToken: Within());
        await stream.ReadFrameAsync(Within());
        var clock = Stopwatch.StartNew();

        await Client.AppendAsync("t1", "a", "b", "c");
        await stream.ReadEventsAsync(3, Within());

        // Far below the 5 s flush interval: only a full batch explains it.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_partial_batch_waits_for_the_flush_interval()
    {
        using var stream = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events?batch_size=10&flush_interval=2.0", cancellationToken: Within());
        await stream.ReadFrameAsync(Within());

        await Client.AppendAsync("t1", "a");
        var appendedAt = Stopwatch.StartNew();
        await stream.ReadEventsAsync(1, Within());

        // Held for the batch: it arrives about 2 s after the append. The margin covers the stream having seen
        // the event before the append's response reached the test, however slow the machine.
        Assert.True(appendedAt.Elapsed >= TimeSpan.FromSeconds(1), $"arrived after {appendedAt.Elapsed}");
    }
}

public sealed class SseKeepaliveTests : ApiTestBase
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Sse:KeepaliveInterval"] = "0.2" };

    [Fact]
    public async Task An_idle_stream_gets_keepalive_comments()
    {
        await Client.CreateTaskAsync("t1");
        using var stream = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events", cancellationToken: Within());

        var comments = new List<string>();
        while (comments.Count < 3)
        {
            var frame = await stream.ReadFrameAsync(Within());
            Assert.NotNull(frame);
            Assert.Null(frame.Id);
            if (frame.IsComment)
            {
                comments.Add(frame.Comment!);
            }
        }

        Assert.All(comments, c => Assert.Equal("keepalive", c));
    }
}

public sealed class SseEventLimitTests : ApiTestBase
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Sse:MaxEventsPerStream"] = "4" };

    [Fact]
    public async Task After_the_event_limit_catch_up_included_the_stream_asks_to_reconnect_and_resume_continues()
    {
        await Client.CreateTaskAsync("t1");
        await Client.AppendAsync("t1", "a", "b", "c", "d", "e", "f");

        using var first = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events?batch_size=2", cancellationToken: Within());
        var events = await first.ReadEventsAsync(4, Within());
        var reconnect = JsonElement.Parse((await first.ReadDataFrameAsync(Within()))!.Data!);

        Assert.Equal("reconnect", reconnect.GetProperty("type").GetString());
        Assert.Equal("event_limit_reached", reconnect.GetProperty("reason").GetString());
        Assert.Equal(4, reconnect.GetProperty("last_seq").GetInt64());
        Assert.Null(await first.ReadFrameAsync(Within()));

        using var second = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events?batch_size=1", lastEventId: "4", cancellationToken: Within());
        events.AddRange(await second.ReadEventsAsync(2, Within()));
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], events.Select(e => e.GetProperty("seq").GetInt64()));
    }
}

public sealed class SseCatchUpTests : ApiTestBase
{
    // A tiny tail: most reads of a fast burst miss it and must come from the database.
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Sse:TailBufferSize"] = "16" };

    [Fact]
    public async Task Long_catch_up_and_bursts_larger_than_the_tail_arrive_complete_and_in_order()
    {
        await Client.CreateTaskAsync("t1");
        for (var i = 0; i < 3; i++)
        {
            await Client.AppendAsync("t1", Enumerable.Repeat("history", 500).ToArray());
        }

        using var stream = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events?batch_size=7&flush_interval=0.1", cancellationToken: Within(60));
        var events = await stream.ReadEventsAsync(1500, Within(60));
        for (var i = 0; i < 4; i++)
        {
            await Client.AppendAsync("t1", Enumerable.Repeat("burst", 100).ToArray());
        }

        events.AddRange(await stream.ReadEventsAsync(400, Within(60)));

        Assert.Equal(Enumerable.Range(1, 1900).Select(i => (long)i), events.Select(e => e.GetProperty("seq").GetInt64()));
    }
}
