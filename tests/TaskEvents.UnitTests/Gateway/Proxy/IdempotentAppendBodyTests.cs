using System.Text;
using TaskEvents.Gateway.Proxy;

namespace TaskEvents.UnitTests.Gateway.Proxy;

/// <summary>Which appends the gateway may send to a second replica: those whose every event carries an event_id.</summary>
public sealed class IdempotentAppendBodyTests
{
    [Theory]
    [InlineData("""{"event_type":"progress_update","event_id":"e1"}""", true)]
    [InlineData("""{"events":[{"event_type":"a","event_id":"e1"},{"event_type":"b","event_id":"e2"}]}""", true)]
    [InlineData("""{"event_type":"progress_update"}""", false)]
    [InlineData("""{"event_type":"progress_update","event_id":""}""", false)]
    [InlineData("""{"event_type":"progress_update","event_id":7}""", false)]
    [InlineData("""{"events":[{"event_type":"a","event_id":"e1"},{"event_type":"b"}]}""", false)]
    [InlineData("""{"events":[]}""", false)]
    [InlineData("""{"events":{"event_id":"e1"}}""", false)]
    [InlineData("""[{"event_id":"e1"}]""", false)]
    [InlineData("""{"event_id":"e1" """, false)]
    [InlineData("", false)]
    public async Task Is_idempotent_only_when_every_event_has_an_event_id(string body, bool idempotent)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(body));
        stream.Position = 3 % Math.Max(1, stream.Length);

        Assert.Equal(idempotent, await IdempotentAppendBody.IsIdempotentAsync(stream, CancellationToken.None));
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public async Task A_body_that_cannot_be_read_again_is_not_resent()
    {
        using var stream = new NonSeekableStream(Encoding.UTF8.GetBytes("""{"event_id":"e1"}"""));

        Assert.False(await IdempotentAppendBody.IsIdempotentAsync(stream, CancellationToken.None));
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
