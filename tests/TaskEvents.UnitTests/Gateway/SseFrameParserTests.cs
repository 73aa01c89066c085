using System.Buffers;
using System.Text;
using TaskEvents.Gateway.FanOut;

namespace TaskEvents.UnitTests.Gateway;

public sealed class SseFrameParserTests
{
    [Fact]
    public void Cuts_frames_at_blank_lines_and_says_what_each_is()
    {
        var buffer = Bytes(
            "retry: 1000\n\n" +
            "id: 41\ndata: {\"seq\":41}\n\n" +
            ": keepalive\n\n" +
            "data: {\"type\":\"reconnect\",\"last_seq\":41,\"reason\":\"server_shutdown\"}\n\n" +
            "data: {\"type\":\"end\",\"last_seq\":41,\"status\":\"completed\"}\n\n" +
            "id: 42\ndata: {\"se");

        var frames = new List<SseFrame>();
        while (SseFrameParser.TryRead(ref buffer, out var frame))
        {
            frames.Add(frame);
        }

        Assert.Equal([SseFrameKind.Retry, SseFrameKind.Event, SseFrameKind.Keepalive, SseFrameKind.Reconnect, SseFrameKind.End], frames.Select(f => f.Kind));
        Assert.Equal(41, frames[1].Seq);
        Assert.Equal("id: 41\ndata: {\"seq\":41}\n\n", Encoding.UTF8.GetString(frames[1].Bytes.Span));
        Assert.Equal("server_shutdown", frames[3].Reason);
        Assert.Equal("id: 42\ndata: {\"se", Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Theory]
    [InlineData("data: not json\n\n")]
    [InlineData("data: [1,2]\n\n")]
    [InlineData("data: {\"type\":\"something_new\"}\n\n")]
    [InlineData("id: x\ndata: {}\n\n")]
    [InlineData("event: other\n\n")]
    public void Passes_on_what_it_does_not_know_as_it_came(string text) =>
        Assert.Equal(SseFrameKind.Other, SseFrameParser.Classify(Encoding.UTF8.GetBytes(text)).Kind);

    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.UTF8.GetBytes(text));
}
