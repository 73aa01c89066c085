using System.Text.Json;
using TaskEvents.Api.Apis;
using TaskEvents.Api.Events;

namespace TaskEvents.UnitTests.Api.Apis;

/// <summary>An append body (one event or <c>{"events": [...]}</c>) into events, or errors keyed by the field's path.</summary>
public sealed class AppendRequestParserTests
{
    [Fact]
    public void A_single_event_object_is_one_event_with_its_fields()
    {
        var (events, errors) = Parse("""
            {"event_id": "e1", "event_type": "step", "phase": "plan", "actor": "agent", "span_id": "s1", "parent_span_id": "p1", "payload": {"n": 1}}
            """);

        Assert.Empty(errors);
        Assert.Equal(new NewEvent("e1", "step", "plan", "agent", "s1", "p1", """{"n": 1}"""), Assert.Single(events));
    }

    [Fact]
    public void An_event_without_an_id_or_payload_gets_a_fresh_id_and_an_empty_payload()
    {
        var (events, _) = Parse("""{"events": [{"event_type": "step"}, {"event_type": "step"}]}""");

        Assert.All(events, e => Assert.Equal("{}", e.PayloadJson));
        Assert.NotEqual(events[0].EventId, events[1].EventId);
        Assert.All(events, e => Assert.True(Guid.TryParse(e.EventId, out _)));
    }

    [Fact]
    public void A_batch_keeps_the_order_of_its_events()
    {
        var (events, errors) = Parse("""{"events": [{"event_type": "a"}, {"event_type": "b"}, {"event_type": "c"}]}""");

        Assert.Empty(errors);
        Assert.Equal(["a", "b", "c"], events.Select(e => e.EventType));
    }

    [Theory]
    [InlineData("""[]""", "$")]
    [InlineData("""{"events": [{"event_type": "a"}], "extra": 1}""", "extra")]
    [InlineData("""{"events": {"event_type": "a"}}""", "events")]
    [InlineData("""{"events": []}""", "events")]
    [InlineData("""{"events": [{"event_type": "a"}, {"phase": "p"}]}""", "events[1].event_type")]
    [InlineData("""{"events": [{"event_type": "a"}, 7]}""", "events[1]")]
    [InlineData("""{"event_type": "Not-Valid"}""", "$.event_type")]
    [InlineData("""{"event_type": "a", "colour": "red"}""", "$.colour")]
    [InlineData("""{"event_type": "a", "actor": 5}""", "$.actor")]
    [InlineData("""{"event_type": "a", "actor": "line\nbreak"}""", "$.actor")]
    [InlineData("""{"event_type": "a", "payload": [1]}""", "payload")]
    [InlineData("""{"event_type": "a", "payload": {"s": "nul\u0000"}}""", "payload")]
    [InlineData("""{"event_type": "a", "payload": {"s": "\ud800"}}""", "payload")]
    [InlineData("""{"event_type": "a", "payload": {"n": 1e400}}""", "payload")]
    // A single event's payload error is keyed by the field name alone ("payload", not "$.payload"), as it always was.
    public void An_invalid_body_is_refused_with_the_error_at_its_path(string body, string path)
    {
        var (_, errors) = Parse(body);

        Assert.Contains(path, errors.Keys);
    }

    [Theory]
    [InlineData("seq")]
    [InlineData("created_at")]
    [InlineData("task_id")]
    public void A_field_the_server_assigns_is_refused_as_such(string field)
    {
        var (_, errors) = Parse($$"""{"event_type": "a", "{{field}}": 1}""");

        Assert.Equal([$"{field} is assigned by the server; leave it out."], errors[$"$.{field}"]);
    }

    [Fact]
    public void More_events_than_one_append_may_hold_are_refused()
    {
        var body = JsonSerializer.Serialize(new { events = Enumerable.Repeat(new { event_type = "a" }, EventRules.MaxEventsPerAppend + 1) });

        var (events, errors) = Parse(body);

        Assert.Empty(events);
        Assert.Contains("events", errors.Keys);
    }

    [Fact]
    public void A_payload_larger_than_the_limit_is_refused()
    {
        var body = JsonSerializer.Serialize(new { event_type = "a", payload = new { text = new string('x', EventRules.MaxPayloadBytes) } });

        Assert.Contains("payload", Parse(body).Errors.Keys);
    }

    [Fact]
    public void An_event_id_repeated_within_one_request_is_refused_at_the_repeat()
    {
        var (_, errors) = Parse("""{"events": [{"event_id": "x", "event_type": "a"}, {"event_id": "x", "event_type": "b"}]}""");

        Assert.Equal(["events[1].event_id"], errors.Keys);
    }

    [Fact]
    public void An_event_that_ends_the_task_must_be_the_last_of_its_request()
    {
        var (_, errors) = Parse("""{"events": [{"event_type": "task_completed"}, {"event_type": "step"}]}""");
        var (_, lastIsFine) = Parse("""{"events": [{"event_type": "step"}, {"event_type": "task_failed"}]}""");

        Assert.Equal(["events[0].event_type"], errors.Keys);
        Assert.Empty(lastIsFine);
    }

    private static (List<NewEvent> Events, Dictionary<string, string[]> Errors) Parse(string body)
    {
        using var document = JsonDocument.Parse(body);
        return AppendRequestParser.Parse(document.RootElement);
    }
}
