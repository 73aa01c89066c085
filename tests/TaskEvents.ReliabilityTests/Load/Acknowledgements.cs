using System.Collections.Concurrent;

namespace TaskEvents.ReliabilityTests.Load;

/// <summary>One event the server acknowledged: its seq and id, and when the producer got the answer.</summary>
internal readonly record struct Acknowledged(long Seq, string EventId, DateTimeOffset AckedAt);

/// <summary>
/// Every event the server acknowledged, per task: what every subscriber of that task must receive exactly once, in order.
/// Two acknowledgements of one seq with different event ids would be a server bug; they are counted, not overwritten.
/// </summary>
internal sealed class Acknowledgements
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, Acknowledged>> _byTask = new();
    private int _count;
    private int _conflicts;

    public int Count => Volatile.Read(ref _count);

    public int Conflicts => Volatile.Read(ref _conflicts);

    public void Add(string taskId, AppendResult result)
    {
        var acked = DateTimeOffset.UtcNow;
        var events = _byTask.GetOrAdd(taskId, _ => new ConcurrentDictionary<long, Acknowledged>());
        foreach (var appended in result.Events)
        {
            if (events.TryAdd(appended.Seq, new Acknowledged(appended.Seq, appended.EventId, acked)))
            {
                Interlocked.Increment(ref _count);
            }
            else if (events[appended.Seq].EventId != appended.EventId)
            {
                Interlocked.Increment(ref _conflicts);
            }
        }
    }

    public IReadOnlyDictionary<long, Acknowledged> Of(string taskId) =>
        _byTask.TryGetValue(taskId, out var events) ? events : new Dictionary<long, Acknowledged>();

    /// <summary>Events acknowledged at or after <paramref name="from"/> and before <paramref name="to"/>, over all tasks.</summary>
    public int CountAckedBetween(DateTimeOffset from, DateTimeOffset to) =>
        _byTask.Values.Sum(events => events.Values.Count(a => a.AckedAt >= from && a.AckedAt < to));

    /// <summary>The lowest seq of <paramref name="taskId"/> acknowledged at or after <paramref name="since"/>, if any.</summary>
    public long? FirstAckedSince(string taskId, DateTimeOffset since) =>
        Of(taskId).Values.Where(a => a.AckedAt >= since).Select(a => (long?)a.Seq).Min();
}
