using System.Text;
using TaskEvents.Api.ChangeFeed;
using TaskEvents.Api.Events;

namespace TaskEvents.UnitTests.Api.ChangeFeed;

/// <summary>
/// Reading a NOTIFY payload: the task, its new last seq and, when carried, its events in their public shape. Whether the
/// SQL writes what this reads is checked against PostgreSQL in Api.Tests' ChangeNotificationTests.
/// </summary>
public sealed class TaskChangeNotificationTests
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Fact]
    public void Reads_the_task_its_last_seq_and_each_carried_event_in_its_public_shape()
    {
        var payload = $$"""
            {"tenant": "acme", "task": "t1", "seq": 8, "events": [
              [7, "e7", "step", "plan", "agent", "s1", "p1", "{\"n\": 1}", 1764460800123456],
              [8, "e8", "task_completed", null, null, null, null, "{}", 1764460800200000]]}
            """;

        var notification = TaskChangeNotification.TryParse(payload);

        Assert.NotNull(notification);
        Assert.Equal((new TaskKey("acme", "t1"), 8L), (notification.Key, notification.LastSeq));
        Assert.Equal([7L, 8L], notification.Events!.Select(e => e.Seq));
        Assert.Equal("task_completed", notification.Events![1].EventType);
        Assert.Equal(
            """{"seq":7,"event_id":"e7","task_id":"t1","event_type":"step","phase":"plan","actor":"agent","span_id":"s1","parent_span_id":"p1","payload":{"n": 1},"created_at":"2025-11-30T00:00:00.123456Z"}""",
            Json(notification.Events![0]));
        Assert.Equal(new DateTime(2025, 11, 30, 0, 0, 0, 200, DateTimeKind.Utc), notification.Events![1].CreatedAt);
    }

    [Fact]
    public void A_notification_by_seq_alone_carries_no_events()
    {
        var notification = TaskChangeNotification.TryParse("""{"tenant": "acme", "task": "t1", "seq": 3}""");

        Assert.NotNull(notification);
        Assert.Equal(3, notification.LastSeq);
        Assert.Null(notification.Events);
    }

    [Fact]
    public void Trace_parents_go_to_the_events_in_order_and_null_means_untraced()
    {
        var payload = $$"""
            {"tenant": "acme", "task": "t1", "seq": 2, "events": [
              [1, "e1", "step", null, null, null, null, "{}", 0], [2, "e2", "step", null, null, null, null, "{}", 0]],
             "trace_parents": [null, "{{TraceParent}}"]}
            """;

        var events = TaskChangeNotification.TryParse(payload)!.Events!;

        Assert.Equal(default, events[0].AppendContext);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", events[1].AppendContext.TraceId.ToHexString());
    }

    [Fact]
    public void Keys_it_does_not_know_are_skipped()
    {
        var notification = TaskChangeNotification.TryParse("""{"from_a_newer_api": {"x": [1, 2]}, "tenant": "acme", "task": "t1", "seq": 3}""");

        Assert.Equal(3, notification?.LastSeq);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"tenant": "acme", "seq": 3}""")]
    [InlineData("""{"tenant": "acme", "task": "t1", "seq": "3"}""")]
    [InlineData("""{"tenant": "acme", "task": "t1", "seq": 3""")]
    public void A_payload_that_is_not_a_notification_is_none(string payload)
    {
        Assert.Null(TaskChangeNotification.TryParse(payload));
    }

    [Theory]
    [InlineData("""[1, "e1", "step", null, null, null, null, "{}"]""")]
    [InlineData("""[1, "e1", "step", null, null, null, null, "{}", 0, "one too many"]""")]
    [InlineData("""[1, "e1", "step", null, null, null, null, "{}", "not a number"]""")]
    public void An_event_item_of_another_shape_makes_the_payload_none(string item)
    {
        Assert.Null(TaskChangeNotification.TryParse($$"""{"tenant": "acme", "task": "t1", "seq": 1, "events": [{{item}}]}"""));
    }

    private static string Json(StoredEvent storedEvent) => Encoding.UTF8.GetString(storedEvent.Json.Span);
}
