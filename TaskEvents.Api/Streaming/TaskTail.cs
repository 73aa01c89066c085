using TaskEvents.Api.ChangeFeed;
using TaskEvents.Api.Events;

namespace TaskEvents.Api.Streaming;

/// <summary>
/// The newest events of one subscribed task, shared by every subscriber of that task in this process.
/// A change notification brings the new events (or, when they did not fit, makes the tail read them once);
/// subscribers keep only their cursor and read from here, or from the database when they have fallen further
/// behind than the tail reaches.
/// </summary>
public sealed partial class TaskTail : IDisposable
{
    private const int FetchPageSize = 500;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly Lock _gate = new();
    private readonly StoredEvent?[] _ring;
    private readonly ITaskEventReader _store;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _oldestSeq = 1;
    private long _newestSeq;
    private long _announcedSeq;

    public TaskTail(TaskKey key, ITaskEventReader store, int capacity, ILogger logger)
    {
        Key = key;
        _store = store;
        _ring = new StoredEvent?[capacity];
        _logger = logger;
    }

    public TaskKey Key { get; }

    /// <summary>Completes once the tail knows where the task currently ends.</summary>
    public Task Initialized => _initialized.Task;

    /// <summary>Subscribers holding this tail; guarded by the registry.</summary>
    internal int SubscriberCount { get; set; }

    /// <summary>Completes at the next change. Take it before reading, so a change between the two is not missed.</summary>
    public Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    /// <summary>
    /// The store says the task now ends at <paramref name="lastSeq"/> (a NOTIFY or a poll); true when that is news.
    /// Events the notification carried are taken as they are when they follow on from what the tail holds; anything
    /// else (no events, a gap, a tail still starting) is read from the database by the reader.
    /// </summary>
    public bool Announce(long lastSeq, IReadOnlyList<StoredEvent>? events = null)
    {
        lock (_gate)
        {
            if (lastSeq <= _announcedSeq)
            {
                return false;
            }

            _announcedSeq = lastSeq;
        }

        if (events is { Count: > 0 } && _initialized.Task.IsCompleted && Publish(events) >= lastSeq)
        {
            return true;
        }

        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another announcement already woke the reader; it reads up to the newest seq anyway.
            }
        }

        return true;
    }

    /// <summary>Up to <paramref name="max"/> events after <paramref name="cursor"/>, if the tail holds them.</summary>
    public TailRead Read(long cursor, int max)
    {
        lock (_gate)
        {
            if (cursor >= _newestSeq)
            {
                return TailRead.CaughtUp;
            }

            if (cursor + 1 < _oldestSeq)
            {
                return TailRead.Behind;
            }

            var count = (int)Math.Min(max, _newestSeq - cursor);
            var events = new StoredEvent[count];
            for (var i = 0; i < count; i++)
            {
                events[i] = _ring[(cursor + 1 + i) % _ring.Length]!;
            }

            return new TailRead(TailReadStatus.Served, events);
        }
    }

    /// <summary>Starts the reader. Called once, outside any caller's lock: its first steps run synchronously.</summary>
    public void Start() => _ = RunAsync(_stop.Token);

    /// <summary>Stops the reader. The token source is not disposed: the reader may still be unwinding on it.</summary>
    public void Dispose() => _stop.Cancel();

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await InitializeAsync(stop);
            while (!stop.IsCancellationRequested)
            {
                await _wake.WaitAsync(stop);
                await FetchAnnouncedAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task InitializeAsync(CancellationToken stop)
    {
        var lastSeq = await WithRetryAsync(ct => _store.ReadLastSeqAsync(Key, ct), stop);
        lock (_gate)
        {
            _newestSeq = lastSeq;
            _oldestSeq = lastSeq + 1;
            _announcedSeq = Math.Max(_announcedSeq, lastSeq);
        }

        _initialized.TrySetResult();
        await FetchAnnouncedAsync(stop);
    }

    private async Task FetchAnnouncedAsync(CancellationToken stop)
    {
        while (true)
        {
            long from;
            lock (_gate)
            {
                if (_announcedSeq <= _newestSeq)
                {
                    return;
                }

                from = _newestSeq;
            }

            var events = await WithRetryAsync(ct => _store.ReadEventsAsync(Key, from, FetchPageSize, ct), stop);
            if (events.Count == 0)
            {
                return;
            }

            Publish(events);
        }
    }

    /// <summary>
    /// Adds the events that follow on from the newest one held (the reader and notifications may both bring the same
    /// events; a gap stops the adding, the reader fills it) and wakes the subscribers. Returns the newest seq held.
    /// </summary>
    private long Publish(IReadOnlyList<StoredEvent> events)
    {
        TaskCompletionSource changed;
        long newest;
        lock (_gate)
        {
            var added = 0;
            foreach (var storedEvent in events)
            {
                if (storedEvent.Seq <= _newestSeq)
                {
                    continue;
                }

                if (storedEvent.Seq != _newestSeq + 1)
                {
                    break;
                }

                _ring[storedEvent.Seq % _ring.Length] = storedEvent;
                _newestSeq = storedEvent.Seq;
                added++;
            }

            newest = _newestSeq;
            if (added == 0)
            {
                return newest;
            }

            _oldestSeq = Math.Max(_oldestSeq, _newestSeq - _ring.Length + 1);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        return newest;
    }

    private async Task<T> WithRetryAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken stop)
    {
        while (true)
        {
            try
            {
                return await read(stop);
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                // Database trouble (timeouts included) must not end the tail's reader: try again until it is
                // back or nobody listens; an ended reader would leave its subscribers waiting forever.
                LogReadFailed(Key.ToString(), ex);
                await Task.Delay(RetryDelay, stop);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Reading new events of task {Task} failed; retrying")]
    private partial void LogReadFailed(string task, Exception exception);
}
