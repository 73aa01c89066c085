using System.Diagnostics;
using HdrHistogram;
using TaskEvents.LoadTests.Channels;
using TaskEvents.LoadTests.Measurement;
using TaskEvents.LoadTests.Reporting;

namespace TaskEvents.LoadTests.Load;

/// <summary>
/// One run of a <see cref="Workload"/> against one channel: create the tasks, ramp the subscribers (closed model), publish
/// (open model) through warm-up and the measured window, sample every second, drain, then check every subscriber got every
/// event once and in order. <see cref="DuringMeasurement"/> lets a scenario disturb the system meanwhile (storm).
/// </summary>
internal sealed class WorkloadRun(string label, IEventChannel channel, Workload workload, IReadOnlyList<ObservedProcess> observed, LiveProgress progress)
{
    // Generous: it only matters when subscribers are behind, and then they are reported as lost once it passes.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    private readonly LatencyRecorder _latencies = new();
    private readonly LatencyRecorder _sendDelays = new();
    private readonly LatencyRecorder _acknowledgements = new();

    // A channel may serve several runs (sweep steps): each run counts from where the previous left the counters.
    private readonly long _streamsBefore = channel.Counters.StreamsOpened;
    private readonly long _errorsBefore = channel.Counters.Errors;
    private double _measuredSeconds;
    private readonly List<Subscriber> _subscribers = [];
    private readonly string[] _taskIds = Enumerable.Range(0, workload.Tasks).Select(i => $"lt{Guid.NewGuid():N}"[..14] + $"-{i}").ToArray();

    /// <summary>
    /// Runs beside the publisher once the measured window has started; publishing goes on until it is over (and at least
    /// <see cref="Workload.Duration"/>, plus 3 s), then the run drains.
    /// </summary>
    public Func<WorkloadRun, CancellationToken, Task>? DuringMeasurement { get; init; }

    private string Label => label;

    public IReadOnlyList<SubscriberProbe> Probes => _subscribers.Select(s => s.Probe).ToList();

    public OpenModelPublisher? Publisher { get; private set; }

    public async Task<RunResult> RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Parallel.ForEachAsync(_taskIds, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (taskId, ct) => await channel.CreateTaskAsync(taskId, ct));

        var sampler = new Sampler(this, observed);
        return await progress.TrackAsync($"{label}: {workload.Describe()}", async report =>
        {
            using var sampling = new CancellationTokenSource();
            var samplingLoop = sampler.RunAsync(report, sampling.Token);
            try
            {
                await RampAsync(sampler, stop.Token);
                var start = Stopwatch.GetTimestamp();
                var measureFrom = start + (long)(workload.Warmup.TotalSeconds * Stopwatch.Frequency);
                var end = measureFrom + (long)(workload.Duration.TotalSeconds * Stopwatch.Frequency);
                MeasureWindow(measureFrom, end);
                sampler.Window = (measureFrom, end);
                Publisher = new OpenModelPublisher(channel, _taskIds, workload.EventsPerSecondPerTask, _sendDelays, _acknowledgements);
                sampler.Phase = "warm-up";
                if (DuringMeasurement is not { } disturb)
                {
                    await Publisher.RunAsync(start, end, stop.Token);
                }
                else
                {
                    // Publishing goes on until the disturbances are over (recovery is seen in events published after them).
                    var publishing = Publisher.RunAsync(start, long.MaxValue, stop.Token);
                    await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), measureFrom) is { Ticks: > 0 } wait ? wait : TimeSpan.Zero, stop.Token);
                    await disturb(this, stop.Token);
                    end = Math.Max(end, Stopwatch.GetTimestamp() + Stopwatch.Frequency * 3);
                    MeasureWindow(measureFrom, end);
                    sampler.Window = (measureFrom, end);
                    Publisher.StopAt(end);
                    await publishing;
                }

                _measuredSeconds = (end - measureFrom) / (double)Stopwatch.Frequency;
                sampler.Phase = "drain";
                await DrainAsync(stop.Token);
            }
            finally
            {
                await stop.CancelAsync();
                await Task.WhenAll(_subscribers.Select(s => s.Running));
                await sampling.CancelAsync();
                await samplingLoop;
            }

            return Result(sampler);
        });
    }

    /// <summary>Drops every subscriber's connection at once and reconnects each from its last seq (storm).</summary>
    public async Task ReconnectAllAsync(CancellationToken cancellationToken)
    {
        foreach (var subscriber in _subscribers)
        {
            await subscriber.Connection.CancelAsync();
        }

        await Task.WhenAll(_subscribers.Select(s => s.Running));
        foreach (var subscriber in _subscribers)
        {
            subscriber.Start(channel, cancellationToken);
        }
    }

    private async Task RampAsync(Sampler sampler, CancellationToken cancellationToken)
    {
        sampler.Phase = "ramp";
        var rampStart = Stopwatch.GetTimestamp();
        for (var i = 0; i < workload.Subscribers; i++)
        {
            var due = workload.Ramp * ((double)i / workload.Subscribers) - Stopwatch.GetElapsedTime(rampStart);
            if (due > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due, cancellationToken);
            }

            var subscriber = new Subscriber(new SubscriberProbe(_taskIds[i % workload.Tasks], _latencies));
            _subscribers.Add(subscriber);
            subscriber.Start(channel, cancellationToken);
        }

        // Publishing starts once every stream is open (a peer without replay would otherwise miss the first events).
        var waiting = Stopwatch.StartNew();
        while (StreamsOpened < workload.Subscribers && waiting.Elapsed < ConnectTimeout)
        {
            await Task.Delay(50, cancellationToken);
        }

        if (StreamsOpened < workload.Subscribers)
        {
            progress.Message($"Only {StreamsOpened} of {workload.Subscribers} streams opened within {ConnectTimeout.TotalSeconds} s; publishing anyway.");
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var waiting = Stopwatch.StartNew();
        while (waiting.Elapsed < DrainTimeout && _subscribers.Any(s => s.Probe.LastSeq < Publisher!.LastSeqOf(TaskIndex(s.Probe))))
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    // Deliveries, send delays and acknowledgements count in the summary for events due inside the same window.
    private void MeasureWindow(long from, long until)
    {
        foreach (var recorder in (LatencyRecorder[])[_latencies, _sendDelays, _acknowledgements])
        {
            recorder.MeasureFrom = from;
            recorder.MeasureUntil = until;
        }
    }

    private int TaskIndex(SubscriberProbe probe) => Array.IndexOf(_taskIds, probe.TaskId);

    private RunResult Result(Sampler sampler)
    {
        var lost = _subscribers.Sum(s => s.Probe.Missing + Math.Max(0, Publisher!.LastSeqOf(TaskIndex(s.Probe)) - s.Probe.LastSeq));
        var measured = _latencies.TakeMeasured();
        var window = _measuredSeconds;
        var measuredIntervals = sampler.Samples.Where(s => s.Phase == "measure").ToList();
        return new RunResult(
            label,
            workload.Describe(),
            measured,
            _sendDelays.TakeMeasured(),
            _acknowledgements.TakeMeasured(),
            PublishedPerSecond: measuredIntervals.Count > 0 ? measuredIntervals.Average(s => s.PublishedPerSecond) : 0,
            DeliveredPerSecond: measured.TotalCount / window,
            Published: Publisher!.Published,
            Delivered: _subscribers.Sum(s => s.Probe.Received),
            Lost: lost,
            Duplicated: _subscribers.Sum(s => s.Probe.Duplicated),
            OutOfOrder: _subscribers.Sum(s => s.Probe.OutOfOrder),
            Errors: Errors,
            HarnessCpuPercent: measuredIntervals.Count > 0 ? measuredIntervals.Average(s => s.HarnessCpuPercent) : 0,
            SystemCpuPercent: observed.Count == 0 ? double.NaN : measuredIntervals.Count > 0 ? measuredIntervals.Average(s => s.SystemCpuPercent) : 0,
            sampler.Samples.ToList());
    }

    private long Errors => channel.Counters.Errors - _errorsBefore + (Publisher?.Failures ?? 0);

    private long StreamsOpened => channel.Counters.StreamsOpened - _streamsBefore;

    /// <summary>One subscriber: its probe (kept across reconnects) and its current connection.</summary>
    private sealed class Subscriber(SubscriberProbe probe)
    {
        public SubscriberProbe Probe => probe;

        public CancellationTokenSource Connection { get; private set; } = new();

        public Task Running { get; private set; } = Task.CompletedTask;

        public void Start(IEventChannel channel, CancellationToken runToken)
        {
            Connection = CancellationTokenSource.CreateLinkedTokenSource(runToken);
            Running = FollowAsync(channel, Connection.Token);
        }

        private async Task FollowAsync(IEventChannel channel, CancellationToken cancellationToken)
        {
            try
            {
                await channel.SubscribeAsync(probe.TaskId, probe.LastSeq, probe, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped by the run (or dropped on purpose by a storm).
            }
            catch (Exception)
            {
                channel.Counters.CountError();
            }
        }
    }

    /// <summary>Once a second: rates, latency percentiles and CPU of the last second, to the live view and the CSV.</summary>
    private sealed class Sampler(WorkloadRun run, IReadOnlyList<ObservedProcess> observed)
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private readonly HistogramBase _soFar = HistogramFactory.With64BitBucketSize().WithValuesFrom(1).WithValuesUpTo(600_000_000).WithPrecisionOf(3).Create();

        public List<IntervalSample> Samples { get; } = [];

        private string _phase = "ramp";

        /// <summary>ramp, warm-up, measure or drain: set by the run, read by the sampler's own loop.</summary>
        public string Phase
        {
            get => Volatile.Read(ref _phase);
            set => Volatile.Write(ref _phase, value);
        }

        public (long From, long Until) Window { get; set; } = (long.MaxValue, long.MaxValue);

        public async Task RunAsync(Action<IntervalSample, double, double> report, CancellationToken cancellationToken)
        {
            var cpu = new CpuMeter(observed);
            var lastPublished = 0L;
            var lastDelivered = 0L;
            var lastTick = Stopwatch.GetTimestamp();
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                while (await timer.WaitForNextTickAsync(cancellationToken))
                {
                    var now = Stopwatch.GetTimestamp();
                    var seconds = Stopwatch.GetElapsedTime(lastTick, now).TotalSeconds;
                    lastTick = now;
                    var published = run.Publisher?.Published ?? 0;
                    var delivered = run._subscribers.ToArray().Sum(s => s.Probe.Received);
                    var histogram = run._latencies.TakeInterval();
                    _soFar.Add(histogram);
                    var (harnessCpu, systemCpu) = cpu.Sample();
                    var phase = Phase is "warm-up" && now >= Window.From ? (Phase = "measure") : Phase;
                    var sample = new IntervalSample(
                        run.Label,
                        Stopwatch.GetElapsedTime(_started, now).TotalSeconds,
                        phase,
                        (int)run.StreamsOpened,
                        (published - lastPublished) / seconds,
                        (delivered - lastDelivered) / seconds,
                        Ms(histogram, 50), Ms(histogram, 75), Ms(histogram, 95), Ms(histogram, 99),
                        histogram.TotalCount == 0 ? double.NaN : histogram.GetMaxValue() / 1000.0,
                        run.Errors,
                        harnessCpu,
                        cpu.ObservesSystem ? systemCpu : double.NaN);
                    run._latencies.Recycle(histogram);
                    (lastPublished, lastDelivered) = (published, delivered);
                    Samples.Add(sample);
                    report(sample, Ms(_soFar, 50), Ms(_soFar, 99));
                }
            }
            catch (OperationCanceledException)
            {
                // The run is over.
            }
        }

        private static double Ms(HistogramBase histogram, double percentile) =>
            histogram.TotalCount == 0 ? double.NaN : histogram.GetValueAtPercentile(percentile) / 1000.0;
    }
}
