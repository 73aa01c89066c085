using TaskEvents.Api.ChangeFeed;
using TaskEvents.Api.Events;

namespace TaskEvents.Api.Streaming;

/// <summary>
/// The hub: one <see cref="TaskTail"/> per task that has subscribers in this process, gone with the last subscriber.
/// The change source reports to it (<see cref="ITaskChangeHandler"/>); its tails read through <see cref="ITaskEventReader"/>.
/// </summary>
public sealed class TaskTailRegistry(ITaskEventReader store, Microsoft.Extensions.Options.IOptions<SseOptions> options, ILogger<TaskTail> logger)
    : ITaskChangeHandler, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TaskKey, TaskTail> _tails = [];

    /// <summary>Joins (or creates) the task's tail; dispose the subscription to leave.</summary>
    public async Task<TailSubscription> SubscribeAsync(TaskKey key, CancellationToken cancellationToken)
    {
        TaskTail tail;
        var created = false;
        lock (_gate)
        {
            if (!_tails.TryGetValue(key, out tail!))
            {
                tail = new TaskTail(key, store, options.Value.TailBufferSize, logger);
                _tails.Add(key, tail);
                created = true;
            }

            tail.SubscriberCount++;
        }

        // The reader's first database call starts synchronously: never under the lock every subscriber and every
        // notification of this process goes through.
        if (created)
        {
            tail.Start();
        }

        var subscription = new TailSubscription(this, tail);
        try
        {
            await tail.Initialized.WaitAsync(cancellationToken);
            return subscription;
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
    }

    /// <summary>Passes a task's new last seq (and the new events, when known) to its tail, if it has subscribers here; true when that was news.</summary>
    public bool Announce(TaskKey key, long lastSeq, IReadOnlyList<StoredEvent>? events = null)
    {
        TaskTail? tail;
        lock (_gate)
        {
            _tails.TryGetValue(key, out tail);
        }

        return tail?.Announce(lastSeq, events) ?? false;
    }

    public IReadOnlyList<TaskKey> SubscribedTasks()
    {
        lock (_gate)
        {
            return [.. _tails.Keys];
        }
    }

    internal void Release(TaskTail tail)
    {
        lock (_gate)
        {
            if (--tail.SubscriberCount > 0)
            {
                return;
            }

            _tails.Remove(tail.Key);
        }

        tail.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var tail in _tails.Values)
            {
                tail.Dispose();
            }

            _tails.Clear();
        }
    }
}
