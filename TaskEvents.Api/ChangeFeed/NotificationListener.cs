using Microsoft.Extensions.Options;
using Npgsql;
using TaskEvents.Api.Observability;
using TaskEvents.Api.Storage;
using TaskEvents.Api.Streaming;

namespace TaskEvents.Api.ChangeFeed;

/// <summary>
/// The change source of this process, its one LISTEN connection: forwards each commit's notification to the hub.
/// While it is down, every subscribed task is polled in one query (PollInterval × PollBackoffFactor, up to
/// MaxPollInterval) and a new LISTEN is tried every MaxPollInterval; once it is back, a last poll catches up.
/// </summary>
public sealed partial class NotificationListener(
    ListenConnectionFactory connections,
    EventStore store,
    ITaskChangeHandler hub,
    IOptions<SseOptions> options,
    ApiMetrics metrics,
    ILogger<NotificationListener> logger) : BackgroundService
{
    private volatile ListenerMode _mode = ListenerMode.Starting;

    public ListenerMode Mode => _mode;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                metrics.ListenFallback();
                LogListenLost(ex.Message);
                await PollUntilListenRetryAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await connections.OpenAsync(stoppingToken);
        connection.Notification += OnNotification;
        await using (var listen = new NpgsqlCommand($"LISTEN {TaskChangeNotification.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        if (_mode == ListenerMode.Polling)
        {
            LogListenRestored();
        }

        _mode = ListenerMode.Listening;

        // Anything committed before LISTEN took effect was not notified: read it once.
        await PollOnceAsync(stoppingToken);
        while (true)
        {
            await connection.WaitAsync(stoppingToken);
        }
    }

    private async Task PollUntilListenRetryAsync(CancellationToken stoppingToken)
    {
        _mode = ListenerMode.Polling;
        var settings = options.Value;
        var retryListenAt = DateTime.UtcNow.AddSeconds(settings.MaxPollInterval);
        var delay = settings.PollInterval;
        while (DateTime.UtcNow < retryListenAt)
        {
            await Task.Delay(TimeSpan.FromSeconds(delay), stoppingToken);
            bool changed;
            try
            {
                changed = await PollOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPollFailed(ex.Message);
                changed = false;
            }

            delay = changed ? settings.PollInterval : Math.Min(delay * settings.PollBackoffFactor, settings.MaxPollInterval);
        }
    }

    /// <summary>Reads every subscribed task's last_seq in one query; true when any tail had something new.</summary>
    private async Task<bool> PollOnceAsync(CancellationToken cancellationToken)
    {
        var subscribed = hub.SubscribedTasks();
        if (subscribed.Count == 0)
        {
            return false;
        }

        var changed = false;
        foreach (var (key, lastSeq) in await store.ReadLastSeqsAsync(subscribed, cancellationToken))
        {
            changed |= hub.Announce(key, lastSeq);
        }

        return changed;
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (TaskChangeNotification.TryParse(e.Payload) is { } change)
        {
            hub.Announce(change.Key, change.LastSeq, change.Events);
        }
    }

    [LoggerMessage(LogLevel.Warning, "LISTEN connection lost ({Reason}); polling subscribed tasks until it is back")]
    private partial void LogListenLost(string reason);

    [LoggerMessage(LogLevel.Information, "LISTEN connection restored")]
    private partial void LogListenRestored();

    [LoggerMessage(LogLevel.Warning, "Polling subscribed tasks failed ({Reason})")]
    private partial void LogPollFailed(string reason);
}
