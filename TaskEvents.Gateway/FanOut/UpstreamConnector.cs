using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using TaskEvents.ServiceDefaults.Http;
using Yarp.ReverseProxy.Model;

namespace TaskEvents.Gateway.FanOut;

/// <summary>
/// Opens a shared stream's upstream: a stream request to one of the cluster's available Api replicas, over the cluster's
/// own HTTP client and protocol (HTTP/2, the many streams of one replica on one connection), as the proxy would send it.
/// </summary>
internal sealed partial class UpstreamConnector(TimeProvider time, ILogger<UpstreamConnector> logger)
{
    private static readonly TimeSpan DefaultActivityTimeout = TimeSpan.FromSeconds(100);

    /// <summary>
    /// The open stream, or null when no replica is available, it did not answer 200, or not within the cluster's activity
    /// timeout (a frozen replica); with the replica tried, so a retry can pass it over.
    /// </summary>
    public async Task<(UpstreamResponse? Response, string? Tried)> OpenAsync(
        ClusterState cluster, HubKey key, long lastSeq, string token, string? avoid, CancellationToken stop)
    {
        if (Pick(cluster, avoid) is not { } replica)
        {
            return (null, null);
        }

        var config = cluster.Model.Config;
        var activityTimeout = config.HttpRequest?.ActivityTimeout ?? DefaultActivityTimeout;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(replica.Model.Config.Address), FanOutRequest.UpstreamPathAndQuery(key)))
        {
            Version = config.HttpRequest?.Version ?? HttpVersion.Version20,
            VersionPolicy = config.HttpRequest?.VersionPolicy ?? HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation(EventStreamResponse.LastEventIdHeader, lastSeq.ToString(CultureInfo.InvariantCulture));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(EventStreamResponse.ContentType));
        using var answered = CancellationTokenSource.CreateLinkedTokenSource(stop);
        answered.CancelAfter(activityTimeout);
        try
        {
            var response = await cluster.Model.HttpClient.SendAsync(request, answered.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return (new UpstreamResponse(response, replica, activityTimeout, time), replica.DestinationId);
            }

            LogRefused(logger, key.TaskId, replica.DestinationId, (int)response.StatusCode);
            response.Dispose();
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !stop.IsCancellationRequested))
        {
            LogUnreachable(logger, key.TaskId, replica.DestinationId, ex.Message);
        }

        return (null, replica.DestinationId);
    }

    /// <summary>An available replica at random, other than <paramref name="avoid"/> when there is another.</summary>
    private static DestinationState? Pick(ClusterState cluster, string? avoid)
    {
        var available = cluster.DestinationsState.AvailableDestinations;
        if (available.Count == 0)
        {
            available = cluster.DestinationsState.AllDestinations;
        }

        var choices = available.Where(d => d.DestinationId != avoid).ToList();
        if (choices.Count == 0)
        {
            choices = [.. available];
        }

        return choices.Count == 0 ? null : choices[Random.Shared.Next(choices.Count)];
    }

    [LoggerMessage(LogLevel.Debug, "Shared stream of task {Task}: replica {Destination} answered {Status}")]
    private static partial void LogRefused(ILogger logger, string task, string destination, int status);

    [LoggerMessage(LogLevel.Debug, "Shared stream of task {Task}: replica {Destination} unreachable ({Reason})")]
    private static partial void LogUnreachable(ILogger logger, string task, string destination, string reason);
}
