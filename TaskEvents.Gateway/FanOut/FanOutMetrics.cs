using System.Diagnostics.Metrics;

namespace TaskEvents.Gateway.FanOut;

/// <summary>
/// The meter <c>TaskEvents.Gateway</c>: the shared streams open and their subscribers (the Api's active connections
/// count upstreams once streams are shared), upstream reopens, and subscribers asked to reconnect because they fell behind.
/// </summary>
internal sealed class FanOutMetrics
{
    public const string MeterName = "TaskEvents.Gateway";

    private readonly Counter<long> _reopens;
    private readonly Counter<long> _fellBehind;
    private Func<(int Hubs, int Subscribers)> _state = () => (0, 0);

    public FanOutMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableUpDownCounter("taskevents.gateway.shared_streams", () => _state().Hubs,
            unit: "{stream}", description: "Shared streams open: one upstream stream to an Api replica each.");
        meter.CreateObservableUpDownCounter("taskevents.gateway.shared_stream_subscribers", () => _state().Subscribers,
            unit: "{connection}", description: "Client streams served from a shared stream.");
        _reopens = meter.CreateCounter<long>("taskevents.gateway.upstream_reopens", unit: "{reopen}",
            description: "Shared streams' upstreams reopened (a replica stopping or failing, the Api's event limit, a token handed over).");
        _fellBehind = meter.CreateCounter<long>("taskevents.gateway.subscribers_fell_behind", unit: "{connection}",
            description: "Client streams asked to reconnect because the frames they were due left the ring.");
    }

    /// <summary>Where the gauges read from (the registry, once it exists).</summary>
    public void Observe(Func<(int Hubs, int Subscribers)> state) => _state = state;

    public void UpstreamReopened() => _reopens.Add(1);

    public void SubscriberFellBehind() => _fellBehind.Add(1);
}
