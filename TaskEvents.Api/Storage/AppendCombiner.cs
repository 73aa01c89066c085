using System.Collections.Concurrent;
using Npgsql;
using TaskEvents.Api.Events;

namespace TaskEvents.Api.Storage;

/// <summary>
/// Appends to one task are serialized by its row lock anyway, so requests that arrive while a transaction for
/// their task is in flight are combined into the next one: N waiting requests cost one commit, not N.
/// Each request is still atomic and gets its own outcome; a failed transaction fails every request in it.
/// </summary>
public sealed class AppendCombiner(EventStore store)
{
    /// <summary>Upper bound on the events one combined transaction carries.</summary>
    private const int MaxEventsPerTransaction = 1000;

    private readonly ConcurrentDictionary<TaskKey, TaskQueue> _queues = new();

    public Task<AppendOutcome> AppendAsync(TaskKey key, IReadOnlyList<NewEvent> events)
    {
        var request = new PendingAppend(events);
        while (true)
        {
            var queue = _queues.GetOrAdd(key, static _ => new TaskQueue());
            lock (queue)
            {
                if (queue.Retired)
                {
                    continue;
                }

                queue.Pending.Enqueue(request);
                if (!queue.Writing)
                {
                    queue.Writing = true;
                    _ = Task.Run(() => DrainAsync(key, queue));
                }
            }

            return request.Outcome.Task;
        }
    }

    private async Task DrainAsync(TaskKey key, TaskQueue queue)
    {
        while (true)
        {
            var round = new List<PendingAppend>();
            lock (queue)
            {
                var events = 0;
                while (queue.Pending.TryPeek(out var next) && (round.Count == 0 || events + next.Events.Count <= MaxEventsPerTransaction))
                {
                    round.Add(queue.Pending.Dequeue());
                    events += next.Events.Count;
                }

                if (round.Count == 0)
                {
                    queue.Writing = false;
                    queue.Retired = true;
                    _queues.TryRemove(new KeyValuePair<TaskKey, TaskQueue>(key, queue));
                    return;
                }
            }

            try
            {
                // Not cancellable by any one caller: the others in the round are waiting for it too.
                var outcomes = await store.AppendAsync(key, [.. round.Select(r => r.Events)], CancellationToken.None);
                for (var i = 0; i < round.Count; i++)
                {
                    round[i].Outcome.TrySetResult(outcomes[i]);
                }
            }
            catch (PostgresException ex) when (round.Count > 1 && ex.SqlState.StartsWith("22", StringComparison.Ordinal))
            {
                // Data the database refuses fails the whole transaction: retry each request alone,
                // so only the one that carried it is refused.
                await AppendOneByOneAsync(key, round);
            }
            catch (Exception ex)
            {
                round.ForEach(r => r.Outcome.TrySetException(ex));
            }
        }
    }

    private async Task AppendOneByOneAsync(TaskKey key, List<PendingAppend> round)
    {
        foreach (var request in round)
        {
            try
            {
                request.Outcome.TrySetResult((await store.AppendAsync(key, [request.Events], CancellationToken.None))[0]);
            }
            catch (Exception ex)
            {
                request.Outcome.TrySetException(ex);
            }
        }
    }

    private sealed class TaskQueue
    {
        public Queue<PendingAppend> Pending { get; } = new();

        public bool Writing { get; set; }

        /// <summary>Removed from the map; a late arrival must take a fresh queue.</summary>
        public bool Retired { get; set; }
    }

    private sealed class PendingAppend(IReadOnlyList<NewEvent> events)
    {
        public IReadOnlyList<NewEvent> Events => events;

        public TaskCompletionSource<AppendOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
