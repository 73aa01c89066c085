using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TaskEvents.Api.Events;
using TaskEvents.Api.ChangeFeed;
using TaskEvents.Api.Storage;
using TaskEvents.Api.Streaming;
using TaskEvents.Api.Wire;

namespace TaskEvents.Api.Tests;

/// <summary>
/// An append's NOTIFY carries the events it stored, byte for byte what a read returns, so listeners deliver them
/// without reading the database; events too large for NOTIFY leave only the new seq, and the tail reads them.
/// </summary>
public sealed class ChangeNotificationTests : ApiTestBase
{
    private static readonly TaskKey Task1 = new(TestTokens.DefaultTenant, "t1");

    [Fact]
    public async Task The_notification_carries_the_appended_events_exactly_as_the_store_reads_them()
    {
        await Client.CreateTaskAsync("t1");
        await using var listener = await ListenConnection.OpenAsync(Api.ConnectionString, Within());
        await Client.PostJsonAsync("/api/tasks/t1/events", new
        {
            events = new object[]
            {
                new { event_type = "step", phase = "plan", actor = "agent-ü", span_id = "s1", parent_span_id = "p1", payload = new { text = "naïve \"quoted\" \\ ☃ \u2028", n = 1.50, big = 12345678901234567890m, nested = new[] { new { a = (string?)null } } } },
                new { event_type = "tool_call", payload = new { } },
            },
        }, System.Net.HttpStatusCode.Created);

        var notification = TaskChangeNotification.TryParse((await listener.WaitForAsync(p => p.Count > 0, Within()))[0]);

        Assert.NotNull(notification);
        Assert.Equal((Task1, 2L), (notification.Key, notification.LastSeq));
        var stored = await new EventStore(Api.GetService<NpgsqlDataSource>()).ReadEventsAsync(Task1, 0, 10, Within());
        Assert.Equal(stored.Select(Frame), notification.Events!.Select(Frame));
        // With the append request's trace context (this Api records its requests' spans), the same as stored.
        Assert.All(notification.Events!, e => Assert.NotEqual(default, e.AppendContext));
        Assert.Equal(stored.Select(e => e.AppendContext), notification.Events!.Select(e => e.AppendContext));
    }

    [Fact]
    public async Task The_sql_payload_puts_each_event_field_where_EventFieldOrder_says()
    {
        await Client.CreateTaskAsync("t1");
        await using var listener = await ListenConnection.OpenAsync(Api.ConnectionString, Within());
        var before = DateTime.UtcNow;
        await Client.PostJsonAsync("/api/tasks/t1/events", new
        {
            event_id = "the-event-id", event_type = "the_type", phase = "the-phase", actor = "the-actor",
            span_id = "the-span", parent_span_id = "the-parent-span", payload = new { the = "payload" },
        }, System.Net.HttpStatusCode.Created);

        // The raw payload, read by the C# names only: a field the SQL puts elsewhere fails here, whatever the parser does.
        using var payload = System.Text.Json.JsonDocument.Parse((await listener.WaitForAsync(p => p.Count > 0, Within()))[0]);
        var root = payload.RootElement;
        Assert.Equal(TestTokens.DefaultTenant, root.GetProperty(TaskChangeNotification.TenantProperty).GetString());
        Assert.Equal("t1", root.GetProperty(TaskChangeNotification.TaskProperty).GetString());
        Assert.Equal(1, root.GetProperty(TaskChangeNotification.LastSeqProperty).GetInt64());
        Assert.Equal(1, root.GetProperty(TaskChangeNotification.TraceParentsProperty).GetArrayLength());
        var item = Assert.Single(root.GetProperty(TaskChangeNotification.EventsProperty).EnumerateArray().ToList());
        Assert.Equal(EventFieldOrder.Count, item.GetArrayLength());
        Assert.Equal(1, item[EventFieldOrder.Seq].GetInt64());
        Assert.Equal("the-event-id", item[EventFieldOrder.EventId].GetString());
        Assert.Equal("the_type", item[EventFieldOrder.EventType].GetString());
        Assert.Equal("the-phase", item[EventFieldOrder.Phase].GetString());
        Assert.Equal("the-actor", item[EventFieldOrder.Actor].GetString());
        Assert.Equal("the-span", item[EventFieldOrder.SpanId].GetString());
        Assert.Equal("the-parent-span", item[EventFieldOrder.ParentSpanId].GetString());
        Assert.Equal("""{"the": "payload"}""", item[EventFieldOrder.Payload].GetString());
        var createdAt = DateTime.UnixEpoch.AddTicks(item[EventFieldOrder.CreatedAt].GetInt64() * TimeSpan.TicksPerMicrosecond);
        Assert.InRange(createdAt, before.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Events_too_large_for_a_notification_are_announced_by_seq_and_still_delivered()
    {
        await Client.CreateTaskAsync("t1");
        await using var listener = await ListenConnection.OpenAsync(Api.ConnectionString, Within());
        using var stream = await SseWireReader.OpenAsync(Client, "/sse/tasks/t1/events?batch_size=1", cancellationToken: Within());
        var large = new string('x', TaskChangeNotification.MaxPayloadBytes);

        await Client.PostJsonAsync("/api/tasks/t1/events", new { event_type = "step", payload = new { large } }, System.Net.HttpStatusCode.Created);

        var notification = TaskChangeNotification.TryParse((await listener.WaitForAsync(p => p.Count > 0, Within()))[0]);
        Assert.NotNull(notification);
        Assert.Equal((1L, (IReadOnlyList<StoredEvent>?)null), (notification.LastSeq, notification.Events));
        var delivered = Assert.Single(await stream.ReadEventsAsync(1, Within()));
        Assert.Equal(large, delivered.GetProperty("payload").GetProperty("large").GetString());
    }

    [Fact]
    public async Task A_tail_serves_notified_events_without_reading_them_from_the_database()
    {
        await Client.CreateTaskAsync("t1");
        using var tail = new TaskTail(Task1, new EventStore(Api.GetService<NpgsqlDataSource>()), capacity: 16, NullLogger.Instance);
        tail.Start();
        await tail.Initialized.WaitAsync(Within());
        var changed = tail.Changed;

        // Events the database does not have: only the notification can have brought them.
        var notified = new[] { Event(1), Event(2) };
        Assert.True(tail.Announce(2, notified));

        await changed.WaitAsync(Within());
        var read = tail.Read(0, 10);
        Assert.Equal(TailReadStatus.Served, read.Status);
        Assert.Equal(notified.Select(Frame), read.Events.Select(Frame));
    }

    private static StoredEvent Event(long seq) =>
        StoredEventSerializer.Serialize(seq, $"e{seq}", "t1", "step", null, null, null, null, "{\"only\": \"notified\"}", DateTime.UtcNow);

    private static string Frame(StoredEvent storedEvent) => Encoding.UTF8.GetString(storedEvent.SseFrame.Span);
}
