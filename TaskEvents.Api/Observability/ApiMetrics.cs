using System.Diagnostics.Metrics;

namespace TaskEvents.Api.Observability;

/// <summary>The meter <c>TaskEvents.Api</c>: connections, appends, deliveries, delivery latency, LISTEN fallbacks.</summary>
public sealed class ApiMetrics
{
    public const string MeterName = "TaskEvents.Api";

    private readonly Counter<long> _eventsAppended;
    private readonly Counter<long> _eventsDelivered;
    private readonly Histogram<double> _deliveryLatency;
    private readonly Counter<long> _listenFallbacks;
    private int _activeConnections;

    public ApiMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableUpDownCounter("taskevents.sse.active_connections", () => ActiveConnections,
            unit: "{connection}", description: "Open SSE streams.");
        _eventsAppended = meter.CreateCounter<long>("taskevents.events.appended", unit: "{event}", description: "Events stored (idempotent repeats excluded).");
        _eventsDelivered = meter.CreateCounter<long>("taskevents.events.delivered", unit: "{event}", description: "Events written and flushed to SSE streams.");
        _deliveryLatency = meter.CreateHistogram<double>("taskevents.delivery.latency", unit: "ms",
            description: "From an event's created_at to its flush to an SSE stream.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 2500, 5000] });
        _listenFallbacks = meter.CreateCounter<long>("taskevents.listen.fallbacks", unit: "{fallback}", description: "Times the LISTEN connection was lost and polling took over.");
    }

    public int ActiveConnections => Volatile.Read(ref _activeConnections);

    public void StreamOpened() => Interlocked.Increment(ref _activeConnections);

    public void StreamClosed() => Interlocked.Decrement(ref _activeConnections);

    public void EventsAppended(int count) => _eventsAppended.Add(count);

    public void EventDelivered(DateTime createdAtUtc, DateTime deliveredAtUtc)
    {
        _eventsDelivered.Add(1);
        _deliveryLatency.Record((deliveredAtUtc - createdAtUtc).TotalMilliseconds);
    }

    public void ListenFallback() => _listenFallbacks.Add(1);
}
