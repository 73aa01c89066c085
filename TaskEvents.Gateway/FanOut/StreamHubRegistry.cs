using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace TaskEvents.Gateway.FanOut;

/// <summary>
/// The gateway's shared streams, one per <see cref="HubKey"/>: created by the first subscriber, closed a grace period
/// after the last one left (at once when its task ended or it failed), all closed when the gateway stops.
/// </summary>
internal sealed class StreamHubRegistry : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<HubKey, StreamHub> _hubs = [];
    private readonly UpstreamConnector _connector;
    private readonly StreamFanOutOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<StreamHub> _logger;
    private readonly CancellationTokenSource _closing = new();

    private readonly FanOutMetrics _metrics;

    public StreamHubRegistry(
        UpstreamConnector connector, IOptions<StreamFanOutOptions> options, FanOutMetrics metrics, TimeProvider time, ILogger<StreamHub> logger)
    {
        _connector = connector;
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        metrics.Observe(Snapshot);
    }

    /// <summary>Hubs open now and the subscribers they serve (the metrics' gauges).</summary>
    internal (int Hubs, int Subscribers) Snapshot()
    {
        lock (_gate)
        {
            return (_hubs.Count, _hubs.Values.Sum(hub => hub.Subscribers));
        }
    }

    /// <summary>
    /// Joins the request's shared stream, creating it if there is none; waits until its upstream is open. Null when the
    /// request must be proxied on its own: its resume point is not held, or the upstream could not be opened (the Api
    /// then answers the proxied request itself, refusals included).
    /// </summary>
    public async Task<(StreamHub Hub, HubSubscriber Subscriber)?> JoinAsync(FanOutRequest request, ClusterState cluster, CancellationToken aborted)
    {
        var subscriber = new HubSubscriber(request);
        StreamHub hub;
        lock (_gate)
        {
            if (_closing.IsCancellationRequested)
            {
                return null;
            }

            if (_hubs.TryGetValue(request.Key, out var existing) && existing.IsOpen)
            {
                if (!existing.TryJoin(subscriber))
                {
                    return null;
                }

                hub = existing;
            }
            else
            {
                hub = new StreamHub(request, cluster, _connector, _options, _metrics, _time, _logger);
                hub.TryJoin(subscriber);
                _hubs[request.Key] = hub;
                hub.Start();
            }
        }

        bool opened;
        try
        {
            opened = await hub.Opened.WaitAsync(aborted);
        }
        catch (OperationCanceledException)
        {
            Leave(hub, subscriber);
            throw;
        }

        if (!opened)
        {
            Leave(hub, subscriber);
            return null;
        }

        return (hub, subscriber);
    }

    public void Leave(StreamHub hub, HubSubscriber subscriber)
    {
        if (hub.Leave(subscriber) == 0)
        {
            _ = CloseWhenIdleAsync(hub, hub.Joins);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<StreamHub> hubs;
        lock (_gate)
        {
            _closing.Cancel();
            hubs = [.. _hubs.Values];
            _hubs.Clear();
        }

        foreach (var hub in hubs)
        {
            await hub.DisposeAsync();
        }
    }

    /// <summary>Closes the hub if no one joined it within the grace period (at once if it can take no one).</summary>
    private async Task CloseWhenIdleAsync(StreamHub hub, long joinsWhenIdle)
    {
        try
        {
            if (hub.IsOpen)
            {
                await Task.Delay(_options.IdleGrace, _time, _closing.Token);
            }
        }
        catch (OperationCanceledException)
        {
            return; // The gateway is stopping: DisposeAsync closes every hub.
        }

        lock (_gate)
        {
            if (hub.Subscribers > 0 || hub.Joins != joinsWhenIdle)
            {
                return;
            }

            if (_hubs.TryGetValue(hub.Key, out var current) && current == hub)
            {
                _hubs.Remove(hub.Key);
            }
        }

        await hub.DisposeAsync();
    }
}
