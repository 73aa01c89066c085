using System.Diagnostics;
using System.Threading.Channels;
using TaskEvents.LoadTests.Channels;
using TaskEvents.LoadTests.Measurement;

namespace TaskEvents.LoadTests.Load;

/// <summary>
/// The open-model publisher: arrival i is due at start + i / (tasks × rate), for task i mod tasks, so arrivals are spread
/// evenly over every interval whatever the server does. Each event carries its due time, not the time it was sent, so a slow
/// server (or a late harness) shows up as latency instead of hiding it (no coordinated omission). A task's events go out in
/// order through one sender per task; when the server is slow, the events that came due meanwhile leave together in one
/// append (the channel's batch limit), as a real producer's queue would. Two more figures per event tell the harness's
/// share from the system's: how late it went out (due time → handed to the channel's client: timer wake-ups, the sender's
/// queue) and when it was acknowledged (due time → the append's answer, retries included).
/// </summary>
internal sealed class OpenModelPublisher(
    IEventChannel channel, IReadOnlyList<string> taskIds, double eventsPerSecondPerTask, LatencyRecorder sendDelays, LatencyRecorder acknowledgements)
{
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(1);

    private readonly long[] _lastSeqs = new long[taskIds.Count];
    private long _end = long.MaxValue;
    private long _published;
    private long _failures;

    public long Published => Interlocked.Read(ref _published);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>The last acknowledged seq of each task (what every subscriber of it must reach).</summary>
    public long LastSeqOf(int task) => Volatile.Read(ref _lastSeqs[task]);

    /// <summary>Moves the end of publishing (Stopwatch ticks), e.g. once a storm's disturbances are over.</summary>
    public void StopAt(long end) => Volatile.Write(ref _end, end);

    /// <summary>Publishes from <paramref name="start"/> until <paramref name="end"/> (Stopwatch ticks; see <see cref="StopAt"/>), then waits for every send.</summary>
    public async Task RunAsync(long start, long end, CancellationToken cancellationToken)
    {
        StopAt(end);
        var queues = taskIds.Select(_ => Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true })).ToArray();
        var senders = queues.Select((queue, task) => SendAsync(task, queue.Reader, cancellationToken)).ToArray();
        var ticksPerArrival = Stopwatch.Frequency / (eventsPerSecondPerTask * taskIds.Count);
        long next = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var now = Stopwatch.GetTimestamp();
                end = Volatile.Read(ref _end);
                var due = start + (long)(next * ticksPerArrival);
                if (due >= end)
                {
                    break;
                }

                while (due <= now && due < end)
                {
                    queues[next % taskIds.Count].Writer.TryWrite(due);
                    next++;
                    due = start + (long)(next * ticksPerArrival);
                }

                // Sleep until the next arrival (timers, not spinning); arrivals that fall due meanwhile keep their own due times.
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Math.Min(due, end));
                await Task.Delay(wait > MinimumWait ? wait : MinimumWait, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped early: what was queued still goes out below unless the senders are cancelled too.
        }

        foreach (var queue in queues)
        {
            queue.Writer.TryComplete();
        }

        await Task.WhenAll(senders);
    }

    private async Task SendAsync(int task, ChannelReader<long> queue, CancellationToken cancellationToken)
    {
        var batch = new long[channel.MaxEventsPerPublish];
        try
        {
            while (await queue.WaitToReadAsync(cancellationToken))
            {
                var count = 0;
                while (count < batch.Length && queue.TryRead(out var due))
                {
                    batch[count++] = due;
                }

                var sending = Stopwatch.GetTimestamp();
                for (var i = 0; i < count; i++)
                {
                    sendDelays.Record(batch[i], sending);
                }

                while (true)
                {
                    try
                    {
                        Volatile.Write(ref _lastSeqs[task], await channel.PublishAsync(taskIds[task], batch.AsMemory(0, count), cancellationToken));
                        var acknowledged = Stopwatch.GetTimestamp();
                        for (var i = 0; i < count; i++)
                        {
                            acknowledgements.Record(batch[i], acknowledged);
                        }

                        Interlocked.Add(ref _published, count);
                        break;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // The client has retried already; try the same events again (their ids make repeats harmless).
                        Interlocked.Increment(ref _failures);
                        await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run was stopped.
        }
    }
}
