using System.Diagnostics;

namespace TaskEvents.LoadTests.Measurement;

/// <summary>
/// What one subscriber saw: every seq is checked against the previous (gaps are lost until they turn up late, when they
/// count as out of order; a seq seen before is a duplicate) and every latency goes to the shared recorder. Written by the
/// subscriber's own loop only; read by the sampler.
/// </summary>
internal sealed class SubscriberProbe(string taskId, LatencyRecorder latencies)
{
    private readonly HashSet<long> _missing = [];
    private long _lastSeq;
    private long _received;
    private long _duplicated;
    private long _outOfOrder;
    private long _catchUpFrom = long.MaxValue;
    private long _caughtUpAt;

    public string TaskId => taskId;

    public long LastSeq => Volatile.Read(ref _lastSeq);

    public long Received => Volatile.Read(ref _received);

    public long Duplicated => Volatile.Read(ref _duplicated);

    public long OutOfOrder => Volatile.Read(ref _outOfOrder);

    /// <summary>Seqs skipped and never delivered (up to the highest seen); add the seqs after <see cref="LastSeq"/> the task reached.</summary>
    public long Missing => _missing.Count;

    /// <summary>When (Stopwatch ticks) the first event published at or after <see cref="WatchCatchUp"/>'s moment arrived; 0 until then.</summary>
    public long CaughtUpAt => Volatile.Read(ref _caughtUpAt);

    public void OnEvent(long seq, long sentTimestamp)
    {
        var now = Stopwatch.GetTimestamp();
        if (seq == _lastSeq + 1)
        {
            Volatile.Write(ref _lastSeq, seq);
        }
        else if (seq > _lastSeq)
        {
            for (var missing = _lastSeq + 1; missing < seq; missing++)
            {
                _missing.Add(missing);
            }

            Volatile.Write(ref _lastSeq, seq);
        }
        else if (_missing.Remove(seq))
        {
            Interlocked.Increment(ref _outOfOrder);
        }
        else
        {
            Interlocked.Increment(ref _duplicated);
            return;
        }

        Interlocked.Increment(ref _received);
        latencies.Record(sentTimestamp, now);
        if (sentTimestamp >= Volatile.Read(ref _catchUpFrom) && _caughtUpAt == 0)
        {
            Volatile.Write(ref _caughtUpAt, now);
        }
    }

    /// <summary>From now on, note when the first event published at or after <paramref name="timestamp"/> arrives (storm recovery).</summary>
    public void WatchCatchUp(long timestamp)
    {
        Volatile.Write(ref _caughtUpAt, 0);
        Volatile.Write(ref _catchUpFrom, timestamp);
    }
}
