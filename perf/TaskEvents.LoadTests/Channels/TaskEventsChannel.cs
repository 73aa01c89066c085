using System.Buffers.Text;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using TaskEvents.Client;
using TaskEvents.LoadTests.Cli;
using TaskEvents.LoadTests.Measurement;

namespace TaskEvents.LoadTests.Channels;

/// <summary>
/// Our system through the gateway: each publisher a TaskEvents.Client (appends acknowledged after commit, retried
/// idempotently), each subscriber a raw SSE reader (<see cref="WireStream"/>, so delivery is checked at the wire), each
/// its own <c>sub</c>, all on one connection pool. Each event carries the publisher's timestamp as <c>payload.sent</c>
/// (Stopwatch ticks). Appends go to one address and streams take turns over a list: the gateway, or (bypassing it)
/// the Api replica that takes appends and every replica.
/// </summary>
internal sealed class TaskEventsChannel : IEventChannel
{
    private const int SubjectsPerPublisher = 8;

    private static readonly NewTaskEvent Template = new("loadtest.tick") { Actor = "loadtest" };

    private readonly Uri _appends;
    private readonly IReadOnlyList<Uri> _streams;
    private readonly SsePreset _preset;
    private readonly TimeSpan _keepaliveInterval;
    private readonly TokenMinter _tokens;
    private readonly HttpClient _http;
    private readonly Dictionary<string, TaskEventsClient> _publishers = [];
    private int _clients;

    public TaskEventsChannel(Uri appends, IReadOnlyList<Uri> streams, SsePreset preset, TimeSpan keepaliveInterval, TokenMinter tokens)
    {
        _appends = appends;
        _streams = streams;
        _preset = preset;
        _keepaliveInterval = keepaliveInterval;
        _tokens = tokens;
        Counters = new HttpCounters();
        _http = new HttpClient(Counters) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public int MaxEventsPerPublish => TaskEventsClient.MaxEventsPerAppend;

    public HttpCounters Counters { get; }

    public Task CreateTaskAsync(string taskId, CancellationToken cancellationToken) => NewClient().CreateTaskAsync(taskId, cancellationToken: cancellationToken);

    public async Task<long> PublishAsync(string taskId, ReadOnlyMemory<long> sentTimestamps, CancellationToken cancellationToken)
    {
        var events = new NewTaskEvent[sentTimestamps.Length];
        for (var i = 0; i < events.Length; i++)
        {
            // The due time is unique within a task, so it also makes the event id: publishing the same events again stores nothing twice.
            var sent = sentTimestamps.Span[i];
            events[i] = Template with { EventId = string.Create(CultureInfo.InvariantCulture, $"lt-{sent}"), Payload = SentPayload(sent) };
        }

        var result = await PublisherFor(taskId).AppendAsync(taskId, events, cancellationToken);
        return result.LastSeq;
    }

    public Task SubscribeAsync(string taskId, long sinceSeq, SubscriberProbe probe, CancellationToken cancellationToken)
    {
        var client = Interlocked.Increment(ref _clients);
        var token = _tokens.Create($"loadtest-{client}");
        var stream = new Uri(_streams[client % _streams.Count], string.Create(CultureInfo.InvariantCulture,
            $"sse/tasks/{Uri.EscapeDataString(taskId)}/events?since_seq={sinceSeq}&batch_size={_preset.BatchSize}&flush_interval={_preset.FlushInterval}"));
        return WireStream.FollowAsync(_http, Counters, lastEventId =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, stream) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
            if (lastEventId is not null)
            {
                request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
            }

            return request;
        }, WireMessageParser.Parse, probe, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    // The client takes its payload as a JsonElement; this builds it from a stack buffer, not from an object graph.
    private static JsonElement SentPayload(long sent)
    {
        Span<byte> json = stackalloc byte[40];
        "{\"sent\":"u8.CopyTo(json);
        Utf8Formatter.TryFormat(sent, json[8..], out var written);
        json[8 + written] = (byte)'}';
        return JsonElement.Parse(json[..(9 + written)]);
    }

    // One publishing client per task, made once. The gateway limits REST requests per client (50/s by default), so a
    // task's publisher takes turns among several subjects, as several producers of one task would.
    private TaskEventsClient PublisherFor(string taskId)
    {
        lock (_publishers)
        {
            if (!_publishers.TryGetValue(taskId, out var client))
            {
                client = NewClient(SubjectsPerPublisher);
                _publishers[taskId] = client;
            }

            return client;
        }
    }

    private TaskEventsClient NewClient(int subjects = 1)
    {
        var tokens = Enumerable.Range(0, subjects).Select(_ => _tokens.Create($"loadtest-{Interlocked.Increment(ref _clients)}")).ToArray();
        var turn = 0;
        return new TaskEventsClient(_http, new TaskEventsClientOptions
        {
            BaseAddress = _appends,
            BatchSize = _preset.BatchSize,
            FlushInterval = TimeSpan.FromSeconds(_preset.FlushInterval),
            KeepaliveInterval = _keepaliveInterval,
            AccessTokenProvider = (_, _) => ValueTask.FromResult<string?>(tokens[(int)((uint)Interlocked.Increment(ref turn) % tokens.Length)]),
        });
    }
}
