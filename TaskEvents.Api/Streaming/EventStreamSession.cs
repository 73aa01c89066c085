using System.Diagnostics;
using System.Runtime.CompilerServices;
using TaskEvents.Api.ChangeFeed;
using TaskEvents.Api.Events;
using TaskEvents.Api.Observability;
using TaskEvents.Contracts;

namespace TaskEvents.Api.Streaming;

/// <summary>
/// One SSE connection: sends the task's events after the cursor — from the shared tail, or from the database
/// while behind — in batches, with keepalives, and ends with an <c>end</c> or <c>reconnect</c> control message.
/// It holds only its cursor and the events of the batch being written.
/// </summary>
public sealed class EventStreamSession(
    TaskKey key,
    StreamParameters parameters,
    SseFrameWriter frames,
    ITaskEventReader store,
    TaskTailRegistry tails,
    SseOptions options,
    ApiMetrics metrics,
    DeliverySpans deliverySpans) : IDisposable
{
    /// <summary>Events taken per read while catching up; they still go out batch_size per write.</summary>
    private const int ReadPageSize = 200;

    private readonly List<DateTime> _unflushedCreatedAt = new(parameters.BatchSize);
    private readonly StreamDeadline _deadline = new();
    private readonly DeliveryTrace _trace = new(deliverySpans, key);
    private long _cursor = parameters.SinceSeq;
    private int _sent;
    private long _unflushedSince;
    private long _lastFlush = Stopwatch.GetTimestamp();

    /// <param name="task">The task as read when the request was accepted.</param>
    /// <param name="aborted">The client went away: stop without a goodbye.</param>
    /// <param name="cutoff">The process is stopping or the token expired: flush, send <c>reconnect</c> with its reason, stop.</param>
    public async Task RunAsync(TaskRecord task, CancellationToken aborted, StreamCutoff cutoff)
    {
        frames.WriteRetry(TimeSpan.FromSeconds(options.ClientRetryInterval));
        if (task.IsTerminal && _cursor >= task.LastSeq)
        {
            frames.WriteControl(ControlMessageTypes.End, task.LastSeq, "status", task.Status);
            await frames.FlushAsync(aborted);
            return;
        }

        await frames.FlushAsync(aborted);

        // Waits on the database (a new tail's first read, a catch-up read) give way to shutdown too: a stream
        // must get its reconnect at once, not when the host's shutdown timeout cuts it off.
        using var interruptible = CancellationTokenSource.CreateLinkedTokenSource(aborted, cutoff.Token);
        if (await SubscribeAsync(interruptible.Token, aborted, cutoff) is not { } subscription)
        {
            return;
        }

        using (subscription)
        {
            await StreamAsync(subscription.Tail, interruptible.Token, aborted, cutoff);
        }
    }

    /// <summary>Joins the task's tail; null when the cutoff came first (the stream has then said goodbye).</summary>
    private async Task<TailSubscription?> SubscribeAsync(CancellationToken interrupted, CancellationToken aborted, StreamCutoff cutoff)
    {
        try
        {
            return await tails.SubscribeAsync(key, interrupted);
        }
        catch (OperationCanceledException) when (cutoff.Token.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            await FinishAsync(ControlMessageTypes.Reconnect, "reason", cutoff.Reason, aborted);
            return null;
        }
    }

    /// <summary>Sends the task's events as they come, until the task ends, the stream's event limit, or the cutoff.</summary>
    private async Task StreamAsync(TaskTail tail, CancellationToken interrupted, CancellationToken aborted, StreamCutoff cutoff)
    {
        var stopping = cutoff.Token;
        var leaving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onAbort = aborted.Register(() => leaving.TrySetResult());
        await using var onStop = stopping.Register(() => leaving.TrySetResult());
        while (!stopping.IsCancellationRequested)
        {
            var changed = tail.Changed;
            if (await NextEventsAsync(tail, interrupted, aborted, stopping) is not { } events)
            {
                // A catch-up read cut short by the cutoff: the goodbye follows.
                continue;
            }

            if (events.Count == 0)
            {
                await WaitAsync(changed, leaving.Task, aborted, stopping);
                continue;
            }

            if (await SendAsync(events, aborted))
            {
                return;
            }

            // There may be more right away; wait only once nothing new is there.
        }

        await FinishAsync(ControlMessageTypes.Reconnect, "reason", cutoff.Reason, aborted);
    }

    /// <summary>
    /// The events after the cursor, no more than the stream may still send: from the tail, or from the store while the
    /// cursor is behind it; null when the cutoff interrupted a store read. Served from memory, it allocates nothing.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<IReadOnlyList<StoredEvent>?> NextEventsAsync(
        TaskTail tail, CancellationToken interrupted, CancellationToken aborted, CancellationToken stopping)
    {
        var room = Math.Min(ReadPageSize, options.MaxEventsPerStream - _sent);
        var read = tail.Read(_cursor, room);
        if (read.Status != TailReadStatus.Behind)
        {
            return read.Events;
        }

        try
        {
            return await store.ReadEventsAsync(key, _cursor, room, interrupted);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the events, flushing each full batch and an overdue one at the end; true when the stream ended with them
    /// (the task ended, or the stream reached its event limit). Pooled: a flush that waits on the client allocates nothing more.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> SendAsync(IReadOnlyList<StoredEvent> events, CancellationToken aborted)
    {
        foreach (var storedEvent in events)
        {
            Write(storedEvent);
            if (TaskLifecycle.SetBy(storedEvent.EventType) is { } finalStatus)
            {
                await FinishAsync(ControlMessageTypes.End, "status", finalStatus, aborted);
                return true;
            }

            if (_sent >= options.MaxEventsPerStream)
            {
                await FinishAsync(ControlMessageTypes.Reconnect, "reason", ReconnectReasons.EventLimitReached, aborted);
                return true;
            }

            if (_unflushedCreatedAt.Count >= parameters.BatchSize)
            {
                await FlushAsync(aborted);
            }
        }

        if (_unflushedCreatedAt.Count > 0 && TimeToDeadline() <= TimeSpan.Zero)
        {
            await FlushAsync(aborted);
        }

        return false;
    }

    private void Write(StoredEvent storedEvent)
    {
        frames.WriteEvent(storedEvent);
        _cursor = storedEvent.Seq;
        _sent++;
        if (_unflushedCreatedAt.Count == 0)
        {
            _unflushedSince = Stopwatch.GetTimestamp();
            _trace.BatchStarted(_unflushedSince);
        }

        _unflushedCreatedAt.Add(storedEvent.CreatedAt);
        _trace.Add(storedEvent);
    }

    /// <summary>Waits for a change, the batch's flush deadline or the keepalive deadline, whichever comes first.</summary>
    private async Task WaitAsync(Task changed, Task leaving, CancellationToken aborted, CancellationToken stopping)
    {
        var remaining = TimeToDeadline();
        if (remaining > TimeSpan.Zero)
        {
            await Task.WhenAny(changed, _deadline.ArmAsync(remaining), leaving);
            aborted.ThrowIfCancellationRequested();
            if (stopping.IsCancellationRequested || TimeToDeadline() > TimeSpan.Zero)
            {
                // Stopping, new events, or an early timer: the loop decides what comes next.
                return;
            }
        }

        if (_unflushedCreatedAt.Count == 0)
        {
            frames.WriteKeepalive();
        }

        await FlushAsync(aborted);
    }

    /// <summary>Until the held batch must go out, or, with nothing held, until a keepalive is due.</summary>
    private TimeSpan TimeToDeadline() => _unflushedCreatedAt.Count > 0
        ? parameters.FlushInterval - Stopwatch.GetElapsedTime(_unflushedSince)
        : options.Keepalive - Stopwatch.GetElapsedTime(_lastFlush);

    public void Dispose() => _deadline.Dispose();

    private async Task FinishAsync(string type, string key, string value, CancellationToken aborted)
    {
        frames.WriteControl(type, _cursor, key, value);
        await FlushAsync(aborted);
    }

    private async Task FlushAsync(CancellationToken aborted)
    {
        using (_trace.StartFlush())
        {
            await frames.FlushAsync(aborted);
        }

        _lastFlush = Stopwatch.GetTimestamp();
        var now = DateTime.UtcNow;
        foreach (var createdAt in _unflushedCreatedAt)
        {
            metrics.EventDelivered(createdAt, now);
        }

        _unflushedCreatedAt.Clear();
    }
}
