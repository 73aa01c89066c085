using System.Text;
using TaskEvents.Client.Streaming;
using TaskEvents.Contracts;

namespace TaskEvents.UnitTests.Client.Streaming;

public sealed class StreamMessageParserTests
{
    [Fact]
    public void Data_with_a_seq_is_an_event()
    {
        var message = Parse("""{"seq":3,"event_id":"e-3","task_id":"t","event_type":"note","payload":{"n":3},"created_at":"2026-11-29T12:00:00.000001Z"}""");

        Assert.Null(message.Control);
        Assert.Equal(3, message.Event!.Seq);
        Assert.Equal("note", message.Event.EventType);
        Assert.Equal(3, message.Event.Payload.GetProperty("n").GetInt32());
    }

    [Fact]
    public void An_event_whose_payload_has_a_type_key_is_still_an_event()
    {
        var message = Parse("""{"seq":1,"event_id":"e-1","task_id":"t","event_type":"note","payload":{"type":"end"},"created_at":"2026-11-29T12:00:00Z"}""");

        Assert.NotNull(message.Event);
        Assert.Null(message.Control);
    }

    [Fact]
    public void An_event_with_type_before_seq_is_still_an_event()
    {
        var message = Parse("""{"type":"x","seq":2,"event_id":"e-2","task_id":"t","event_type":"note","payload":{},"created_at":"2026-11-29T12:00:00Z"}""");

        Assert.Equal(2, message.Event!.Seq);
    }

    [Fact]
    public void End_is_a_control_message_with_the_final_status()
    {
        var message = Parse($$"""{"type":"{{ControlMessageTypes.End}}","last_seq":12,"status":"completed"}""");

        Assert.Null(message.Event);
        Assert.Equal(new ControlMessage(ControlMessageTypes.End, 12, null, "completed"), message.Control);
    }

    [Theory]
    [InlineData(ReconnectReasons.ServerShutdown, true, false)]
    [InlineData(ReconnectReasons.TokenExpired, false, true)]
    [InlineData(ReconnectReasons.EventLimitReached, false, false)]
    public void Reconnect_reasons_are_told_apart(string reason, bool serverShutdown, bool tokenExpired)
    {
        var control = Parse($$"""{"type":"{{ControlMessageTypes.Reconnect}}","last_seq":5,"reason":"{{reason}}"}""").Control!;

        Assert.Equal(5, control.LastSeq);
        Assert.Equal(serverShutdown, control.IsServerShutdown);
        Assert.Equal(tokenExpired, control.IsTokenExpired);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{}")]
    [InlineData("""{"seq":0,"event_type":"note"}""")]
    [InlineData("""{"seq":4}""")]
    [InlineData("""{"type":null}""")]
    [InlineData("""{"seq":"four","event_type":"note"}""")]
    public void Unreadable_data_is_skipped_not_thrown(string data) =>
        Assert.Same(StreamMessage.Unreadable, Parse(data));

    private static StreamMessage Parse(string data) => StreamMessageParser.Parse("message", Encoding.UTF8.GetBytes(data));
}
