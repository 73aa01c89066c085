using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace TaskEvents.Gateway.LoadBalancing;

/// <summary>
/// Times each append on the replica it was sent to. When that replica has had appends in flight and answered none for
/// <see cref="AppendRoutingOptions.StallSeconds"/>, it is asked whether it answers at all (<see cref="ReplicaLivenessProbe"/>,
/// within the same time): a replica waiting on a slow database does, and its appends wait on. When it does not (frozen,
/// cut off) and another replica does, it is passed over for appends (<see cref="AppendRoutingOptions.PassOverSeconds"/>)
/// and the appends waiting on it are cancelled there and marked <see cref="StalledAppend"/>, so
/// <see cref="Proxy.SafeResendMiddleware"/> sends each to that other replica or answers 504. With no other replica
/// answering (the only one left, or both overloaded alike) the appends wait: moving them could not help. Without this, producers
/// that append one request at a time would all wait on a frozen replica for their timeout. Runs after load balancing,
/// once per attempt.
/// </summary>
internal sealed partial class AppendStallWatchMiddleware(
    RequestDelegate next,
    AppendTraffic traffic,
    ReplicaLivenessProbe liveness,
    IOptions<AppendRoutingOptions> options,
    TimeProvider time,
    ILogger<AppendStallWatchMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        if (!AppendsToOneReplicaPolicy.IsAppend(context.Request) || proxy.AvailableDestinations is not [var replica])
        {
            await next(context);
            return;
        }

        var threshold = options.Value.StallThreshold;
        var appends = traffic.Of(replica);
        appends.Started(Now);
        var clientAborted = context.RequestAborted;
        using var stalled = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        var watch = new Watch(proxy.Cluster, proxy.AllDestinations, replica, appends, stalled);
        await using (time.CreateTimer(state => Check((Watch)state!), watch, threshold, threshold))
        {
            // The forwarder cancels its request to the replica when this token fires, as it does when the client leaves.
            context.RequestAborted = stalled.Token;
            try
            {
                await next(context);
            }
            finally
            {
                context.RequestAborted = clientAborted;
            }
        }

        var cancelledHere = stalled.IsCancellationRequested && !clientAborted.IsCancellationRequested;
        appends.Ended(Now, answered: !stalled.IsCancellationRequested && context.GetForwarderErrorFeature() is null);
        if (cancelledHere)
        {
            context.Features.Set(StalledAppend.Marker);
        }
    }

    private long Now => time.GetUtcNow().UtcTicks;

    [LoggerMessage(LogLevel.Warning, "Api replica {Destination} answered no append for {Seconds} s, nor its liveness probe; passed over for {PassOver} s, its waiting appends go elsewhere")]
    private partial void LogStalled(string destination, double seconds, double passOver);

    /// <summary>One append's periodic look at its replica: once it has stalled and does not answer its probe, cancels the append.</summary>
    private void Check(Watch watch)
    {
        if (!watch.Stalled.IsCancellationRequested && watch.Appends.IsStalled(Now, options.Value.StallThreshold))
        {
            _ = ConfirmAndCancelAsync(watch);
        }
    }

    private async Task ConfirmAndCancelAsync(Watch watch)
    {
        var threshold = options.Value.StallThreshold;
        if (await AnswersAsync(watch.Cluster, watch.Replica, threshold) || !await AnotherAnswersAsync(watch, threshold))
        {
            return;
        }

        var now = Now;
        if (watch.Appends.PassOver(now, now + options.Value.PassOverPeriod.Ticks))
        {
            LogStalled(watch.Replica.DestinationId, threshold.TotalSeconds, options.Value.PassOverSeconds);
        }

        try
        {
            watch.Stalled.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The append was answered while the probe was out: nothing to cancel.
        }
    }

    /// <summary>Whether a replica other than the stalled one, not taken out by a health check or passed over, answers its probe.</summary>
    private async Task<bool> AnotherAnswersAsync(Watch watch, TimeSpan timeout)
    {
        var now = Now;
        foreach (var other in watch.AllReplicas)
        {
            if (other != watch.Replica
                && other.Health.Active != DestinationHealth.Unhealthy
                && other.Health.Passive != DestinationHealth.Unhealthy
                && traffic.Find(other)?.IsPassedOver(now, timeout) != true
                && await AnswersAsync(watch.Cluster, other, timeout))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One probe per replica at a time, its answer shared by every append that asks.</summary>
    private Task<bool> AnswersAsync(ClusterModel cluster, DestinationState replica, TimeSpan timeout) =>
        traffic.Of(replica).AnswersProbeAsync(() => liveness.AnswersAsync(cluster, replica, timeout), time);

    private sealed record Watch(
        ClusterModel Cluster, IReadOnlyList<DestinationState> AllReplicas, DestinationState Replica, ReplicaAppendTraffic Appends, CancellationTokenSource Stalled);
}
