using System.Text;
using TaskEvents.LoadTests.Channels;

namespace TaskEvents.LoadTests.Tests;

/// <summary>The harness's raw SSE reader must read the seq and send time of both peers' messages and spot control messages.</summary>
public sealed class WireMessageParserTests
{
    [Fact]
    public void A_taskevents_event_carries_its_send_time_inside_the_payload()
    {
        var message = Parse("""{"event_id":"e1","seq":42,"type":"progress","payload":{"step":3,"sent":1700000000123,"note":{"sent":1}},"created_at":"2026-12-05T00:00:00Z"}""");

        Assert.Equal(new WireMessage(42, 1700000000123, WireControl.None), message);
    }

    [Fact]
    public void An_nchan_message_carries_its_send_time_at_the_top_level()
    {
        var message = Parse("""{"seq":7,"sent":1700000000456,"pad":"xxxx"}""");

        Assert.Equal(new WireMessage(7, 1700000000456, WireControl.None), message);
    }

    [Theory]
    [InlineData("""{"type":"end","last_seq":12,"status":"completed"}""", "End")]
    [InlineData("""{"type":"reconnect","last_seq":12,"reason":"shutdown"}""", "Reconnect")]
    [InlineData("""{"type":"something-new"}""", "None")]
    public void A_message_without_a_seq_is_read_as_a_control_message(string data, string expected)
    {
        Assert.Equal(Enum.Parse<WireControl>(expected), Parse(data).Control);
        Assert.Equal(0, Parse(data).Seq);
    }

    [Fact]
    public void An_event_whose_type_is_end_is_still_an_event()
    {
        var message = Parse("""{"seq":9,"type":"end","payload":{"sent":5}}""");

        Assert.Equal(new WireMessage(9, 5, WireControl.None), message);
    }

    [Fact]
    public void Data_that_is_not_an_object_yields_nothing()
    {
        Assert.Equal(default, Parse("[1,2]"));
    }

    private static WireMessage Parse(string json) => WireMessageParser.Parse("message", Encoding.UTF8.GetBytes(json));
}
