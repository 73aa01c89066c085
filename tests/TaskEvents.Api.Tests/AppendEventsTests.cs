using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace TaskEvents.Api.Tests;

public sealed class AppendEventsTests : ApiTestBase
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.CreateTaskAsync("t1");
    }

    [Fact]
    public async Task Assigns_dense_seqs_starting_at_1_and_returns_them()
    {
        var single = await Client.PostJsonAsync("/api/tasks/t1/events", new { event_type = "runner_spawn", actor = "runner-1" }, HttpStatusCode.Created);
        var batch = await Client.AppendAsync("t1", "phase_enter", "work_item_start", "work_item_complete");

        Assert.Equal([1L], Seqs(single));
        Assert.Equal([2L, 3L, 4L], Seqs(batch));
        Assert.Equal(4, batch.GetProperty("last_seq").GetInt64());
        Assert.All(batch.GetProperty("events").EnumerateArray(), e => Assert.False(string.IsNullOrEmpty(e.GetProperty("event_id").GetString())));
        Assert.Equal(4, (await Client.GetJsonAsync("/api/tasks/t1")).GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task Stores_every_field_and_returns_it_on_read()
    {
        await Client.PostJsonAsync("/api/tasks/t1/events", new
        {
            event_id = "evt-1",
            event_type = "work_item_progress",
            phase = "executing",
            actor = "agent",
            span_id = "span-2",
            parent_span_id = "span-1",
            payload = new { progress = 40, note = "line1\nline2", nested = new[] { 1, 2 } },
        }, HttpStatusCode.Created);

        var stored = (await Client.GetJsonAsync("/api/tasks/t1/events")).GetProperty("events")[0];

        Assert.Equal(1, stored.GetProperty("seq").GetInt64());
        Assert.Equal("evt-1", stored.GetProperty("event_id").GetString());
        Assert.Equal("t1", stored.GetProperty("task_id").GetString());
        Assert.Equal("work_item_progress", stored.GetProperty("event_type").GetString());
        Assert.Equal("executing", stored.GetProperty("phase").GetString());
        Assert.Equal("agent", stored.GetProperty("actor").GetString());
        Assert.Equal("span-2", stored.GetProperty("span_id").GetString());
        Assert.Equal("span-1", stored.GetProperty("parent_span_id").GetString());
        Assert.Equal("line1\nline2", stored.GetProperty("payload").GetProperty("note").GetString());
        Assert.Equal(40, stored.GetProperty("payload").GetProperty("progress").GetInt32());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", stored.GetProperty("created_at").GetString());
    }

    [Fact]
    public async Task A_retried_append_returns_the_stored_seqs_and_stores_nothing_new()
    {
        var body = new { events = new[] { new { event_id = "a", event_type = "step" }, new { event_id = "b", event_type = "step" } } };
        var first = await Client.PostJsonAsync("/api/tasks/t1/events", body, HttpStatusCode.Created);

        var retry = await Client.PostJsonAsync("/api/tasks/t1/events", body, HttpStatusCode.OK);

        Assert.Equal(Seqs(first), Seqs(retry));
        Assert.All(retry.GetProperty("events").EnumerateArray(), e => Assert.True(e.GetProperty("duplicate").GetBoolean()));
        Assert.Equal(2, (await Client.GetJsonAsync("/api/tasks/t1")).GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task A_partly_retried_batch_stores_only_the_new_events()
    {
        await Client.PostJsonAsync("/api/tasks/t1/events", new { event_id = "a", event_type = "step" }, HttpStatusCode.Created);

        var mixed = await Client.PostJsonAsync("/api/tasks/t1/events",
            new { events = new[] { new { event_id = "a", event_type = "step" }, new { event_id = "c", event_type = "step" } } }, HttpStatusCode.Created);

        Assert.Equal([1L, 2L], Seqs(mixed));
        Assert.Equal([true, false], mixed.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("duplicate").GetBoolean()));
    }

    [Fact]
    public async Task Concurrent_retries_of_one_event_store_it_once()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await Client.PostAsJsonAsync("/api/tasks/t1/events", new { event_id = "same", event_type = "step" });
            return (response.StatusCode, Body: JsonElement.Parse(await response.Content.ReadAsStringAsync()));
        }));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.Equal([1L], Seqs(r.Body)));
        Assert.Equal(1, (await Client.GetJsonAsync("/api/tasks/t1")).GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task Of_concurrent_appends_none_lands_after_the_terminal_event()
    {
        var statuses = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            using var response = await Client.PostAsJsonAsync("/api/tasks/t1/events", new { event_type = i == 10 ? "task_completed" : "step" });
            return response.StatusCode;
        }));

        var events = (await Client.GetJsonAsync("/api/tasks/t1/events?limit=1000")).GetProperty("events").EnumerateArray().ToList();
        Assert.Equal("task_completed", events[^1].GetProperty("event_type").GetString());
        Assert.Equal(events.Count, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(30 - events.Count, statuses.Count(s => s == HttpStatusCode.Conflict));
    }

    [Theory]
    [InlineData("task_completed", "completed")]
    [InlineData("task_failed", "failed")]
    [InlineData("task_cancelled", "cancelled")]
    public async Task A_terminal_event_ends_the_task_and_later_appends_are_409(string eventType, string status)
    {
        await Client.AppendAsync("t1", "step", eventType);

        Assert.Equal(status, (await Client.GetJsonAsync("/api/tasks/t1")).GetProperty("status").GetString());
        var problem = await Client.PostJsonAsync("/api/tasks/t1/events", new { event_type = "step" }, HttpStatusCode.Conflict);
        Assert.Contains(status, problem.GetProperty("detail").GetString());
        Assert.Equal(2, (await Client.GetJsonAsync("/api/tasks/t1")).GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task Retrying_the_terminal_event_after_the_task_ended_is_still_idempotent()
    {
        var body = new { event_id = "done", event_type = "task_completed" };
        var first = await Client.PostJsonAsync("/api/tasks/t1/events", body, HttpStatusCode.Created);

        var retry = await Client.PostJsonAsync("/api/tasks/t1/events", body, HttpStatusCode.OK);

        Assert.Equal(Seqs(first), Seqs(retry));
    }

    [Fact]
    public async Task Appending_to_an_unknown_task_is_404()
    {
        await Client.PostJsonAsync("/api/tasks/missing/events", new { event_type = "step" }, HttpStatusCode.NotFound);
    }

    public static TheoryData<string> InvalidBodies => new()
    {
        "{}",
        "{\"event_type\": \"Bad-Type\"}",
        "{\"event_type\": \"step\", \"seq\": 5}",
        "{\"event_type\": \"step\", \"payload\": [1]}",
        "{\"event_type\": \"step\", \"payload\": \"text\"}",
        "{\"event_type\": \"step\", \"actor\": 7}",
        "{\"event_type\": \"step\", \"phase\": \"\"}",
        "{\"event_type\": \"step\", \"span_id\": \"" + new string('s', 129) + "\"}",
        "{\"event_type\": \"step\", \"payload\": {\"a\": \"nul\\u0000byte\"}}",
        "{\"event_type\": \"step\", \"payload\": {\"a\": \"\\ud800\"}}",
        "{\"event_type\": \"step\", \"payload\": {\"\\ud800\": 1}}",
        "{\"event_type\": \"step\", \"\\udc00\": 1}",
        "{\"event_type\": \"step\", \"payload\": {\"n\": 1e400}}",
        "{\"event_type\": \"\\ud800\"}",
        "{\"event_type\": \"step\", \"event_type\": \"other\"}",
        "{\"events\": []}",
        "{\"events\": {}}",
        "{\"events\": [{\"event_type\": \"step\"}], \"extra\": 1}",
        "{\"events\": [{\"event_type\": \"task_completed\"}, {\"event_type\": \"step\"}]}",
        "{\"events\": [{\"event_id\": \"x\", \"event_type\": \"step\"}, {\"event_id\": \"x\", \"event_type\": \"step\"}]}",
        "[]",
        "\"step\"",
        "{\"event_type\": \"step\"",
        new string('[', 10_000) + new string(']', 10_000),
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_bodies_are_400_problem_json_and_store_nothing(string body)
    {
        using var response = await Client.PostRawAsync("/api/tasks/t1/events", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, (await Client.GetJsonAsync("/api/tasks/t1")).GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task Field_errors_name_the_event_and_field()
    {
        using var response = await Client.PostRawAsync("/api/tasks/t1/events", "{\"events\": [{\"event_type\": \"ok\"}, {\"event_type\": \"NOT OK\"}]}");
        var problem = JsonElement.Parse(await response.Content.ReadAsStringAsync());

        Assert.True(problem.GetProperty("errors").TryGetProperty("events[1].event_type", out _));
    }

    [Fact]
    public async Task More_than_500_events_is_400()
    {
        var body = new { events = Enumerable.Range(0, 501).Select(_ => new { event_type = "step" }).ToArray() };

        await Client.PostJsonAsync("/api/tasks/t1/events", body, HttpStatusCode.BadRequest);
        var accepted = await Client.PostJsonAsync("/api/tasks/t1/events", new { events = body.events[..500] }, HttpStatusCode.Created);
        Assert.Equal(500, accepted.GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task A_payload_over_64_KiB_is_400()
    {
        await Client.PostJsonAsync("/api/tasks/t1/events", new { event_type = "step", payload = new { blob = new string('x', 64 * 1024) } }, HttpStatusCode.BadRequest);
        await Client.PostJsonAsync("/api/tasks/t1/events", new { event_type = "step", payload = new { blob = new string('x', 60 * 1024) } }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_declared_body_over_1_MiB_is_413_before_it_is_sent()
    {
        // Raw HTTP: only the headers go out, so the answer can only come from the declared length.
        var status = await RawHttp.StatusAsync(Api.BaseAddress,
            $"POST /api/tasks/t1/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {TestTokens.Create()}\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n", []);

        Assert.Equal(413, status);
        Assert.Equal(0, (await Client.GetJsonAsync("/api/tasks/t1")).GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task A_chunked_body_over_1_MiB_is_413()
    {
        // Just past the limit and never finished: the server must stop at the limit, not wait for the end.
        var chunk = Encoding.ASCII.GetBytes(new string(' ', 1024 * 1024 + 100));
        var body = Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n").Concat(chunk).Concat("\r\n"u8.ToArray()).ToArray();

        var status = await RawHttp.StatusAsync(Api.BaseAddress,
            $"POST /api/tasks/t1/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {TestTokens.Create()}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", body);

        Assert.Equal(413, status);
        Assert.Equal(0, (await Client.GetJsonAsync("/api/tasks/t1")).GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        using var response = await Client.PostRawAsync("/api/tasks/t1/events", "event_type=step", "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    private static long[] Seqs(JsonElement appendResponse) =>
        appendResponse.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()).ToArray();
}
