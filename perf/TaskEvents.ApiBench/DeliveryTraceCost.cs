using System.Diagnostics;
using Microsoft.Extensions.Options;
using TaskEvents.Api.Events;
using TaskEvents.Api.Observability;
using TaskEvents.Api.Wire;

namespace TaskEvents.ApiBench;

/// <summary>
/// What a stream's delivery tracing costs per flushed batch (<see cref="DeliveryTrace"/>), with a tracing listener
/// registered as OpenTelemetry registers one and no exporter: a batch refused by the sampler (the usual case at W1) and a
/// batch that gets its span. Time and bytes allocated on this thread, per batch of 1 and of 10 events.
/// </summary>
internal static class DeliveryTraceCost
{
    private const int Batches = 2_000_000;

    public static void Print()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ApiTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        Console.WriteLine($"\n== Delivery tracing cost per flushed batch ({Batches:N0} batches after as many of warm-up; listener, no exporter)");
        foreach (var eventsPerBatch in (int[])[1, 10])
        {
            var events = Events(eventsPerBatch);
            Console.WriteLine($"  {eventsPerBatch,2} event(s) per batch: refused by the sampler {Measure(spansPerSecond: 10, events, Batches)}; " +
                $"sampled {Measure(spansPerSecond: 1_000_000, events, Batches / 20)}");
        }
    }

    /// <summary>The time and allocation per batch over <paramref name="batches"/>, after as many of warm-up.</summary>
    private static string Measure(int spansPerSecond, IReadOnlyList<StoredEvent> events, int batches)
    {
        var spans = new DeliverySpans(Options.Create(new DeliveryTracingOptions { SpansPerSecond = spansPerSecond }));
        var trace = new DeliveryTrace(spans, new TaskKey("bench", "trace"));
        Run(trace, events, batches);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        Run(trace, events, batches);
        var nanoseconds = clock.Elapsed.TotalNanoseconds / batches;
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)batches;
        return nanoseconds >= 1000 ? $"{nanoseconds / 1000:0.0} µs, {bytes:N0} B" : $"{nanoseconds:0} ns, {bytes:N0} B";
    }

    private static void Run(DeliveryTrace trace, IReadOnlyList<StoredEvent> events, int batches)
    {
        for (var i = 0; i < batches; i++)
        {
            trace.BatchStarted(Stopwatch.GetTimestamp());
            // An indexed loop: a foreach over the interface would allocate its enumerator and be counted here.
            for (var e = 0; e < events.Count; e++)
            {
                trace.Add(events[e]);
            }

            trace.StartFlush()?.Dispose();
        }
    }

    /// <summary>Events as appended by separate traced requests (each its own append context).</summary>
    private static List<StoredEvent> Events(int count) =>
        [.. Enumerable.Range(1, count).Select(seq => StoredEventSerializer.Serialize(seq, $"e{seq}", "trace", "progress_update", null, null, null, null, "{}",
            DateTime.UtcNow, new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded)))];
}
