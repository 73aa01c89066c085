using System.IO.Pipelines;
using Yarp.ReverseProxy.Model;

namespace TaskEvents.Gateway.FanOut;

/// <summary>
/// An open upstream stream from one Api replica. It is given up (its read cancelled, so the hub reopens on another
/// replica) when a read waits longer than the cluster's activity timeout (the Api sends keepalives far more often), or
/// sooner when the cluster's health checks find the replica unhealthy (the proxy sends it nothing new) while the stream
/// is silent: a frozen replica cannot hold a shared stream for minutes, nor its subscribers, who would only rejoin it if
/// they reconnected.
/// </summary>
internal sealed class UpstreamResponse(HttpResponseMessage response, DestinationState replica, TimeSpan activityTimeout, TimeProvider time) : IDisposable
{
    /// <summary>How often the replica's health is looked at, and how long the stream must have been silent to be given up.</summary>
    private static readonly TimeSpan HealthWatchPeriod = TimeSpan.FromSeconds(2);

    private CancellationTokenSource? _idle;
    private ITimer? _healthWatch;
    private long _lastData;

    public HttpResponseMessage Response => response;

    /// <summary>The destination (Api replica) it came from.</summary>
    public string Destination => replica.DestinationId;

    /// <summary>Why the stream was given up by the gateway rather than broken by the replica, if it was.</summary>
    public string? GivenUp { get; private set; }

    public async ValueTask<ReadResult> ReadAsync(PipeReader reader, CancellationToken stop)
    {
        if (_idle is null)
        {
            _idle = CancellationTokenSource.CreateLinkedTokenSource(stop);
            _healthWatch = time.CreateTimer(static state => ((UpstreamResponse)state!).WatchHealth(), this, HealthWatchPeriod, HealthWatchPeriod);
        }

        Volatile.Write(ref _lastData, time.GetTimestamp());
        _idle.CancelAfter(activityTimeout);
        return await reader.ReadAsync(_idle.Token);
    }

    private void WatchHealth()
    {
        var health = replica.Health;
        if ((health.Active != DestinationHealth.Unhealthy && health.Passive != DestinationHealth.Unhealthy)
            || time.GetElapsedTime(Volatile.Read(ref _lastData)) < HealthWatchPeriod)
        {
            return;
        }

        GivenUp = "its replica was found unhealthy while the stream was silent";
        try
        {
            _idle?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile: the stream is over anyway.
        }
    }

    public void Dispose()
    {
        _healthWatch?.Dispose();
        _idle?.Dispose();
        response.Dispose();
    }
}
