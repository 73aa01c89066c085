using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using TaskEvents.Api.Events;
using TaskEvents.Api.ChangeFeed;
using TaskEvents.Api.Storage;

namespace TaskEvents.Api.Tests;

/// <summary>
/// Requests written by the append writer in one batch (one call, one commit) are still decided one by one, in arrival
/// order. Each test holds the writer, queues its requests one after the other, and releases them as one batch.
/// </summary>
public sealed class AppendBatchTests : ApiTestBase
{
    private AppendWriter Writer => Api.GetService<AppendWriter>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.CreateTaskAsync("t1");
        await Client.CreateTaskAsync("t2");
    }

    [Fact]
    public async Task A_value_the_database_refuses_fails_only_the_request_that_carried_it()
    {
        Task<HttpResponseMessage> before, sameTask, after;
        Task<AppendOutcome> refused;
        using (Writer.HoldBatches())
        {
            before = await QueueAsync("t1", new { event_type = "step" });
            // Past validation, as a bug or a new rule might let it: jsonb refuses \u0000 (SQLSTATE 22P05).
            refused = await QueueAsync(() => Writer.AppendAsync(new TaskKey(TestTokens.DefaultTenant, "t2"),
                [new NewEvent("bad", "step", null, null, null, null, "{\"text\": \"\\u0000\"}")]));
            sameTask = await QueueAsync("t2", new { event_type = "step" });
            after = await QueueAsync("t1", new { event_type = "step" });
        }

        var error = await Assert.ThrowsAsync<PostgresException>(() => refused);
        Assert.StartsWith("22", error.SqlState);
        Assert.Equal(new long[] { 1 }, await SeqsAsync(before, HttpStatusCode.Created));
        Assert.Equal(new long[] { 1 }, await SeqsAsync(sameTask, HttpStatusCode.Created));
        Assert.Equal(new long[] { 2 }, await SeqsAsync(after, HttpStatusCode.Created));
        Assert.Equal(2, await LastSeqAsync("t1"));
        Assert.Equal(1, await LastSeqAsync("t2"));
    }

    [Fact]
    public async Task An_idempotent_retry_in_the_same_batch_as_its_original_is_stored_once()
    {
        var original = new { event_id = "x", event_type = "step" };
        Task<HttpResponseMessage> first, retry, extended;
        using (Writer.HoldBatches())
        {
            first = await QueueAsync("t1", original);
            retry = await QueueAsync("t1", original);
            extended = await QueueAsync("t1", new { events = new[] { original, new { event_id = "y", event_type = "step" } } });
        }

        Assert.Equal(new long[] { 1 }, await SeqsAsync(first, HttpStatusCode.Created));
        var retried = await BodyAsync(retry, HttpStatusCode.OK);
        Assert.Equal([1L], Seqs(retried));
        Assert.True(retried.GetProperty("events")[0].GetProperty("duplicate").GetBoolean());
        var both = await BodyAsync(extended, HttpStatusCode.Created);
        Assert.Equal([1L, 2L], Seqs(both));
        Assert.Equal([true, false], both.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("duplicate").GetBoolean()));
        Assert.Equal(2, await LastSeqAsync("t1"));
    }

    [Fact]
    public async Task A_task_ending_inside_a_batch_refuses_the_later_requests_and_keeps_the_earlier_ones()
    {
        var completion = new { event_id = "done", event_type = "task_completed" };
        Task<HttpResponseMessage> earlier, ending, later, retryOfEnding, otherTask;
        using (Writer.HoldBatches())
        {
            earlier = await QueueAsync("t1", new { event_type = "step" });
            ending = await QueueAsync("t1", new { events = new object[] { new { event_type = "step" }, completion } });
            later = await QueueAsync("t1", new { event_type = "step" });
            retryOfEnding = await QueueAsync("t1", completion);
            otherTask = await QueueAsync("t2", new { event_type = "step" });
        }

        Assert.Equal(new long[] { 1 }, await SeqsAsync(earlier, HttpStatusCode.Created));
        Assert.Equal(new long[] { 2, 3 }, await SeqsAsync(ending, HttpStatusCode.Created));
        Assert.Contains("completed", (await BodyAsync(later, HttpStatusCode.Conflict)).GetProperty("detail").GetString());
        Assert.Equal(new long[] { 3 }, await SeqsAsync(retryOfEnding, HttpStatusCode.OK));
        Assert.Equal(new long[] { 1 }, await SeqsAsync(otherTask, HttpStatusCode.Created));
        var task = await Client.GetJsonAsync("/api/tasks/t1");
        Assert.Equal(("completed", 3L), (task.GetProperty("status").GetString(), task.GetProperty("last_seq").GetInt64()));
    }

    [Fact]
    public async Task A_batch_whose_changes_pass_the_notification_limit_is_announced_in_parts_and_delivered_in_order()
    {
        const int Requests = 24;
        var text = new string('n', 700);
        await using var listener = await ListenConnection.OpenAsync(Api.ConnectionString, Within());
        using var stream = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events?batch_size=1", cancellationToken: Within());
        var appends = new List<Task<HttpResponseMessage>>();
        using (Writer.HoldBatches())
        {
            for (var i = 1; i <= Requests; i++)
            {
                appends.Add(await QueueAsync("t1", new { event_type = "step", payload = new { i, text } }));
            }
        }

        foreach (var append in appends)
        {
            await SeqsAsync(append, HttpStatusCode.Created);
        }

        var delivered = await stream.ReadEventsAsync(Requests, Within());
        Assert.Equal(Enumerable.Range(1, Requests), delivered.Select(e => e.GetProperty("payload").GetProperty("i").GetInt32()));
        Assert.Equal(Enumerable.Range(1, Requests).Select(i => (long)i), delivered.Select(e => e.GetProperty("seq").GetInt64()));
        // Together over the limit, yet every event rode in a notification: the commit sent several, each under it.
        var notifications = (await listener.WaitForAsync(p => p.Any(n => TaskChangeNotification.TryParse(n)?.LastSeq == Requests), Within()))
            .Select(n => TaskChangeNotification.TryParse(n)!).ToList();
        Assert.All(notifications, n => Assert.NotNull(n.Events));
        Assert.True(notifications.Sum(n => n.Events!.Sum(e => e.Json.Length)) > TaskChangeNotification.MaxPayloadBytes);
        Assert.Equal(Enumerable.Range(1, Requests).Select(i => (long)i), notifications.SelectMany(n => n.Events!).Select(e => e.Seq));
    }

    private Task<Task<HttpResponseMessage>> QueueAsync(string taskId, object body) =>
        QueueAsync(() => Client.PostAsJsonAsync($"/api/tasks/{taskId}/events", body));

    private Task<Task<T>> QueueAsync<T>(Func<Task<T>> send) => Writer.QueueAsync(send);

    private static async Task<JsonElement> BodyAsync(Task<HttpResponseMessage> append, HttpStatusCode expected)
    {
        using var response = await append;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonElement.Parse(text);
    }

    private static async Task<long[]> SeqsAsync(Task<HttpResponseMessage> append, HttpStatusCode expected) => Seqs(await BodyAsync(append, expected));

    private static long[] Seqs(JsonElement appendResponse) =>
        [.. appendResponse.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64())];

    private async Task<long> LastSeqAsync(string taskId) => (await Client.GetJsonAsync($"/api/tasks/{taskId}")).GetProperty("last_seq").GetInt64();
}
