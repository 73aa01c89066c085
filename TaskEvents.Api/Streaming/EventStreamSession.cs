using System.Diagnostics;
using TaskEvents.Api.Events;
using TaskEvents.Api.Observability;
using TaskEvents.Api.Storage;
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
    EventStore store,
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
        var stopping = cutoff.Token;
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
        using var interruptible = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping);
        var interrupted = interruptible.Token;
        TailSubscription subscription;
        try
        {
            subscription = await tails.SubscribeAsync(key, interrupted);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            await FinishAsync(ControlMessageTypes.Reconnect, "reason", cutoff.Reason, aborted);
            return;
        }

        using var held = subscription;
        var leaving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onAbort = aborted.Register(() => leaving.TrySetResult());
        await using var onStop = stopping.Register(() => leaving.TrySetResult());
        var tail = subscription.Tail;
        while (true)
        {
            if (stopping.IsCancellationRequested)
            {
                await FinishAsync(ControlMessageTypes.Reconnect, "reason", cutoff.Reason, aborted);
                return;
            }

            var changed = tail.Changed;
            var room = Math.Min(ReadPageSize, options.MaxEventsPerStream - _sent);
            var read = tail.Read(_cursor, room);
            IReadOnlyList<StoredEvent> events;
            try
            {
                events = read.Status == TailReadStatus.Behind
                    ? await store.ReadEventsAsync(key, _cursor, room, interrupted)
                    : read.Events;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested && !aborted.IsCancellationRequested)
            {
                // The loop's first step says goodbye.
                continue;
            }

            foreach (var storedEvent in events)
            {
                Write(storedEvent);
                if (TaskLifecycle.SetBy(storedEvent.EventType) is { } finalStatus)
                {
                    await FinishAsync(ControlMessageTypes.End, "status", finalStatus, aborted);
                    return;
                }

                if (_sent >= options.MaxEventsPerStream)
                {
                    await FinishAsync(ControlMessageTypes.Reconnect, "reason", ReconnectReasons.EventLimitReached, aborted);
                    return;
                }

                if (_unflushedCreatedAt.Count >= parameters.BatchSize)
                {
                    await FlushAsync(aborted);
                }
            }

            if (events.Count > 0)
            {
                if (_unflushedCreatedAt.Count > 0 && TimeToDeadline() <= TimeSpan.Zero)
                {
                    await FlushAsync(aborted);
                }

                // There may be more right away; wait only once nothing new is there.
                continue;
            }

            await WaitAsync(changed, leaving.Task, aborted, stopping);
        }
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
