using System.Buffers;
using System.IO.Pipelines;
using TaskEvents.Contracts;
using Yarp.ReverseProxy.Model;

namespace TaskEvents.Gateway.FanOut;

/// <summary>
/// One upstream stream of a task, read once and served to every subscriber that shares its <see cref="HubKey"/>. It
/// keeps the last frames (<see cref="HubRing"/>) and resumes the upstream by itself, from the last seq it holds, when the
/// Api ends it early (a replica stopping, its event limit, the token it read with expiring) or the connection breaks:
/// its subscribers see one unbroken stream. Each subscriber reads at its own pace from the ring.
/// </summary>
internal sealed partial class StreamHub : IAsyncDisposable
{
    /// <summary>A token this close to its expiry is not used to open the upstream: the Api would end it at once.</summary>
    private static readonly TimeSpan MinTokenLife = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan MaxReopenDelay = TimeSpan.FromSeconds(2);

    /// <summary>An upstream the Api ends sooner than this counts as a failed open (backed off), not as one that served.</summary>
    private static readonly TimeSpan HealthyUpstreamLife = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly HubRing _ring;
    private readonly List<HubSubscriber> _subscribers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<bool> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ClusterState _cluster;
    private readonly UpstreamConnector _connector;
    private readonly StreamFanOutOptions _options;
    private readonly FanOutMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ReadOnlyMemory<byte> _prologue;
    private HubState _state = HubState.Open;
    private FanOutRequest _lastToken;
    private long _joins;
    private Task _upstream = Task.CompletedTask;
    private int _disposed;

    public StreamHub(
        FanOutRequest creator, ClusterState cluster, UpstreamConnector connector, StreamFanOutOptions options, FanOutMetrics metrics, TimeProvider time, ILogger logger)
    {
        _metrics = metrics;
        Key = creator.Key;
        _ring = new HubRing(options.RingCapacity, creator.LastSeq);
        _lastToken = creator;
        _cluster = cluster;
        _connector = connector;
        _options = options;
        _time = time;
        _logger = logger;
    }

    private enum HubState
    {
        Open,
        Ended,
        Failed,
    }

    public HubKey Key { get; }

    /// <summary>True once the upstream answered and its first frame came; false if it could not be opened.</summary>
    public Task<bool> Opened => _opened.Task;

    /// <summary>What every subscriber gets first: the upstream's <c>retry:</c> hint.</summary>
    public ReadOnlyMemory<byte> Prologue
    {
        get
        {
            lock (_gate)
            {
                return _prologue;
            }
        }
    }

    /// <summary>Whether new subscribers may join (the task has not ended and the upstream has not failed).</summary>
    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _state == HubState.Open;
            }
        }
    }

    /// <summary>How many subscribers ever joined: a hub idle since a count is still idle if the count has not moved.</summary>
    public long Joins
    {
        get
        {
            lock (_gate)
            {
                return _joins;
            }
        }
    }

    public int Subscribers
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>
    /// The <c>reconnect</c> reason for subscribers once the hub failed: <c>token_expired</c> when no subscriber's token
    /// could read on (theirs expire now too), else <c>server_shutdown</c> (no replica would serve it).
    /// </summary>
    public string FailReason
    {
        get
        {
            lock (_gate)
            {
                return field;
            }
        }

        private set;
    } = ReconnectReasons.ServerShutdown;

    /// <summary>
    /// Starts reading the upstream, outside the first subscriber's request: the hub outlives it, so it takes neither its
    /// trace (Activity) nor its logging scope.
    /// </summary>
    public void Start()
    {
        using (ExecutionContext.SuppressFlow())
        {
            _upstream = Task.Run(RunUpstreamAsync);
        }
    }

    /// <summary>Adds the subscriber if its resume point is held (or is the head); false when it must be served on its own.</summary>
    public bool TryJoin(HubSubscriber subscriber)
    {
        lock (_gate)
        {
            if (_state != HubState.Open || _ring.StartAfter(subscriber.Request.LastSeq) is not { } start)
            {
                return false;
            }

            subscriber.Next = start;
            _subscribers.Add(subscriber);
            _joins++;
            return true;
        }
    }

    /// <summary>Removes the subscriber; returns how many are left.</summary>
    public int Leave(HubSubscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscriber);
            return _subscribers.Count;
        }
    }

    /// <summary>
    /// Writes the frames from <paramref name="next"/> on into <paramref name="output"/>, at most <paramref name="maxEvents"/>
    /// events, and the <c>end</c> if it is among them; <paramref name="lastSeq"/> is the last event the subscriber got.
    /// Memory copies only, under the hub's lock; the caller flushes.
    /// </summary>
    public HubRead Read(long next, long lastSeq, IBufferWriter<byte> output, int maxEvents)
    {
        lock (_gate)
        {
            // Frames it was due left the ring: if only keepalives went, it goes on from the event after its last.
            if (next < _ring.Oldest)
            {
                if (_ring.StartAfter(lastSeq) is not { } resumed)
                {
                    _metrics.SubscriberFellBehind();
                    return new HubRead(HubReadStatus.Behind, next, 0, 0, false, _changed.Task);
                }

                next = resumed;
            }

            var events = 0;
            var wrote = false;
            for (; next < _ring.Next && events < maxEvents; next++)
            {
                var frame = _ring[next];
                output.Write(frame.Bytes.Span);
                wrote = true;
                switch (frame.Kind)
                {
                    case SseFrameKind.Event:
                        events++;
                        lastSeq = frame.Seq;
                        break;
                    case SseFrameKind.End:
                        return new HubRead(HubReadStatus.Ended, next + 1, lastSeq, events, true, _changed.Task);
                }
            }

            var status = _state == HubState.Failed && next == _ring.Next ? HubReadStatus.Failed : HubReadStatus.Open;
            return new HubRead(status, next, lastSeq, events, wrote, _changed.Task);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await _upstream;
        Fail();
    }

    /// <summary>Opens the upstream, and reopens it from the last seq held until the task ends or it cannot be reopened.</summary>
    private async Task RunUpstreamAsync()
    {
        var stop = _stop.Token;
        var failures = 0;
        string? avoid = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (PickToken() is not { } token)
                {
                    LogNoToken(_logger, Key.TaskId);
                    lock (_gate)
                    {
                        FailReason = ReconnectReasons.TokenExpired;
                    }

                    return;
                }

                long from;
                lock (_gate)
                {
                    from = _ring.HeadSeq;
                }

                if (Opened.IsCompleted)
                {
                    _metrics.UpstreamReopened();
                }

                var opened = _time.GetTimestamp();
                var (upstream, tried) = await _connector.OpenAsync(_cluster, Key, from, token, avoid, stop);
                var end = upstream is null ? UpstreamEnd.Broken : await PumpAsync(upstream, stop);
                if (end.Kind == UpstreamEndKind.Ended || !Opened.IsCompleted || !Opened.Result)
                {
                    // Ended: the task is over. Never opened: the first subscriber is proxied and hears the Api's own answer.
                    return;
                }

                // A replica that is stopping, or broke, is passed over next time when there is another.
                avoid = end.Kind == UpstreamEndKind.Broken || end.Reason == ReconnectReasons.ServerShutdown ? tried : null;
                if (end.Kind == UpstreamEndKind.Reconnect && _time.GetElapsedTime(opened) >= HealthyUpstreamLife)
                {
                    // The Api ended a stream that had been serving (its event limit, the token, a replica stopping): reopen at once.
                    failures = 0;
                    continue;
                }

                // Broken, or ended as soon as it opened (a replica answering every stream with a goodbye): back off.
                if (++failures > _options.ReopenAttempts)
                {
                    LogGaveUp(_logger, Key.TaskId, failures - 1);
                    return;
                }

                await Task.Delay(ReopenDelay(failures), _time, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Closed: idle, or the gateway stopping.
        }
        catch (Exception ex)
        {
            LogUpstreamFailed(_logger, Key.TaskId, ex);
        }
        finally
        {
            Fail();
        }
    }

    private static TimeSpan ReopenDelay(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxReopenDelay.TotalMilliseconds, 100 * Math.Pow(2, failures - 1)));

    /// <summary>The token to read with: the subscribers' that expires last, else the last one used, while still valid.</summary>
    private string? PickToken()
    {
        var usableAfter = _time.GetUtcNow() + MinTokenLife;
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                if (subscriber.Request.TokenExpiresAt > _lastToken.TokenExpiresAt)
                {
                    _lastToken = subscriber.Request;
                }
            }

            return _lastToken.TokenExpiresAt > usableAfter ? _lastToken.Token : null;
        }
    }

    /// <summary>Reads the upstream into the ring until it ends, asks for a reconnect, or breaks.</summary>
    private async Task<UpstreamEnd> PumpAsync(UpstreamResponse upstream, CancellationToken stop)
    {
        using (upstream)
        {
            try
            {
                var reader = PipeReader.Create(await upstream.Response.Content.ReadAsStreamAsync(stop));
                try
                {
                    while (true)
                    {
                        var result = await upstream.ReadAsync(reader, stop);
                        var buffer = result.Buffer;
                        var end = Take(ref buffer);
                        reader.AdvanceTo(buffer.Start, buffer.End);
                        if (end is not null)
                        {
                            return end.Value;
                        }

                        if (result.IsCompleted)
                        {
                            return UpstreamEnd.Broken;
                        }
                    }
                }
                finally
                {
                    await reader.CompleteAsync();
                }
            }
            catch (Exception ex) when (!stop.IsCancellationRequested && ex is IOException or HttpRequestException or OperationCanceledException)
            {
                LogUpstreamBroke(_logger, Key.TaskId, upstream.Destination, upstream.GivenUp ?? ex.Message);
                return UpstreamEnd.Broken;
            }
        }
    }

    /// <summary>Moves the whole frames in <paramref name="buffer"/> into the ring and wakes the subscribers; the end, if one came.</summary>
    private UpstreamEnd? Take(ref ReadOnlySequence<byte> buffer)
    {
        UpstreamEnd? end = null;
        var added = false;
        var opened = false;
        lock (_gate)
        {
            while (end is null && SseFrameParser.TryRead(ref buffer, out var frame))
            {
                opened = true;
                switch (frame.Kind)
                {
                    case SseFrameKind.Retry:
                        if (_prologue.IsEmpty)
                        {
                            _prologue = frame.Bytes;
                        }

                        break;
                    case SseFrameKind.Reconnect:
                        end = new UpstreamEnd(UpstreamEndKind.Reconnect, frame.Reason);
                        break;
                    case SseFrameKind.End:
                        _ring.Add(frame);
                        _state = HubState.Ended;
                        added = true;
                        end = new UpstreamEnd(UpstreamEndKind.Ended, null);
                        break;
                    default:
                        _ring.Add(frame);
                        added = true;
                        break;
                }
            }

            if (added)
            {
                WakeLocked();
            }
        }

        if (opened)
        {
            _opened.TrySetResult(true);
        }

        return end;
    }

    /// <summary>No more frames will come: subscribers that read everything are asked to reconnect; no one joins.</summary>
    private void Fail()
    {
        lock (_gate)
        {
            if (_state == HubState.Open)
            {
                _state = HubState.Failed;
            }

            WakeLocked();
        }

        _opened.TrySetResult(false);
    }

    private void WakeLocked()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    [LoggerMessage(LogLevel.Debug, "Shared stream of task {Task}: its upstream from {Destination} broke ({Reason}); reopening")]
    private static partial void LogUpstreamBroke(ILogger logger, string task, string destination, string reason);

    [LoggerMessage(LogLevel.Warning, "Shared stream of task {Task}: gave up after {Attempts} failed reopens; its subscribers reconnect")]
    private static partial void LogGaveUp(ILogger logger, string task, int attempts);

    [LoggerMessage(LogLevel.Debug, "Shared stream of task {Task}: no subscriber holds a token valid long enough to reopen it")]
    private static partial void LogNoToken(ILogger logger, string task);

    [LoggerMessage(LogLevel.Error, "Shared stream of task {Task} failed; its subscribers reconnect")]
    private static partial void LogUpstreamFailed(ILogger logger, string task, Exception exception);
}
