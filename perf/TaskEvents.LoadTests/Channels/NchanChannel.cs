using System.Buffers.Text;
using System.Net.Http.Headers;
using TaskEvents.LoadTests.Measurement;

namespace TaskEvents.LoadTests.Channels;

/// <summary>
/// Nchan as the peer: <c>POST /pub/{task}</c> publishes one message (<c>{"seq":n,"sent":ticks}</c>, the seq counted by the
/// harness, which publishes each task's events in order), <c>GET /sub/{task}</c> is its EventSource subscriber,
/// read at the wire by <see cref="WireStream"/> as TaskEvents' streams are, resumed with Last-Event-ID after a break.
/// </summary>
internal sealed class NchanChannel : IEventChannel
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly Dictionary<string, long> _seqs = [];
    private readonly HttpClient _http;

    public NchanChannel(Uri server)
    {
        Counters = new HttpCounters();
        _http = new HttpClient(Counters) { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
    }

    public int MaxEventsPerPublish => 1;

    public HttpCounters Counters { get; }

    public Task CreateTaskAsync(string taskId, CancellationToken cancellationToken)
    {
        lock (_seqs)
        {
            _seqs[taskId] = 0;
        }

        return Task.CompletedTask;
    }

    public async Task<long> PublishAsync(string taskId, ReadOnlyMemory<long> sentTimestamps, CancellationToken cancellationToken)
    {
        long seq;
        lock (_seqs)
        {
            seq = _seqs[taskId];
        }

        for (var i = 0; i < sentTimestamps.Length; i++)
        {
            var sent = sentTimestamps.Span[i];
            seq++;
            var body = new byte[64];
            var length = Format(body, seq, sent);
            using var content = new ByteArrayContent(body, 0, length) { Headers = { ContentType = Json } };
            using var response = await _http.PostAsync($"/pub/{taskId}", content, cancellationToken);
            response.EnsureSuccessStatusCode();
            lock (_seqs)
            {
                _seqs[taskId] = seq;
            }
        }

        return seq;
    }

    public Task SubscribeAsync(string taskId, long sinceSeq, SubscriberProbe probe, CancellationToken cancellationToken) =>
        WireStream.FollowAsync(_http, Counters, lastEventId =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/sub/{taskId}");
            if (lastEventId is not null)
            {
                request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
            }

            return request;
        }, WireMessageParser.Parse, probe, cancellationToken);

    public void Dispose() => _http.Dispose();

    private static int Format(Span<byte> body, long seq, long sent)
    {
        "{\"seq\":"u8.CopyTo(body);
        var at = 7;
        Utf8Formatter.TryFormat(seq, body[at..], out var written);
        at += written;
        ",\"sent\":"u8.CopyTo(body[at..]);
        at += 8;
        Utf8Formatter.TryFormat(sent, body[at..], out written);
        at += written;
        body[at] = (byte)'}';
        return at + 1;
    }
}
