using Npgsql;
using TaskEvents.Api.Events;
using TaskEvents.Api.Observability;

namespace TaskEvents.Api.Storage;

/// <summary>
/// The one writer of this process: every append request, whatever its task, waits here, and the writer stores all
/// that are waiting in one call (<see cref="EventStore.AppendAsync"/>: one round trip, one commit). While one batch
/// commits the next gathers, so under load N requests cost one commit, and alone a request waits for nothing.
/// Each request is still atomic and answered only after its batch committed.
/// </summary>
public sealed partial class AppendWriter(NpgsqlDataSource dataSource, ILogger<AppendWriter> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly Queue<PendingAppend> _waiting = new();
    private TaskCompletionSource? _wake;
    private bool _held;
    private bool _stopping;

    /// <summary>
    /// The writer's own connection, kept open: with a pool sized for the cores, appends must never queue behind reads
    /// (many streams catching up) for a pooled connection. Reopened after a failure that may have broken it.
    /// </summary>
    private NpgsqlConnection? _connection;

    /// <summary>
    /// Queues the request for the next batch; completes once that batch committed (or failed). Called in the append
    /// request, whose trace context is stored with the events.
    /// </summary>
    public Task<AppendOutcome> AppendAsync(TaskKey key, IReadOnlyList<NewEvent> events)
    {
        var pending = new PendingAppend(new AppendRequest(key, events, AppendTraceContext.Capture()));
        lock (_gate)
        {
            if (_stopping)
            {
                // Reached only if a request outlives the server's drain; the handler answers 503, safe to retry elsewhere.
                throw new InvalidOperationException("The append writer has stopped.", new NpgsqlException("The Api is shutting down."));
            }

            _waiting.Enqueue(pending);
            WakeLocked();
        }

        return pending.Outcome.Task;
    }

    /// <summary>Requests queued and not yet taken into a batch.</summary>
    internal int WaitingRequests
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>
    /// Test seam: until the returned handle is disposed the writer takes no new batch (one already taken completes), so a
    /// test can queue chosen requests, in a chosen order, and have them written as one batch.
    /// </summary>
    internal IDisposable HoldBatches()
    {
        lock (_gate)
        {
            _held = true;
        }

        return new Release(this);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Stopping drains: requests already queued are written and answered, never dropped.
        using var stopping = stoppingToken.Register(() =>
        {
            lock (_gate)
            {
                _stopping = true;
                WakeLocked();
            }
        });

        try
        {
            await WriteUntilStoppedAsync();
        }
        finally
        {
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }
        }
    }

    private async Task WriteUntilStoppedAsync()
    {
        while (true)
        {
            List<PendingAppend> batch;
            Task wake;
            lock (_gate)
            {
                if (_waiting.Count == 0 && _stopping)
                {
                    return;
                }

                // A hold never outlives stopping: queued requests are answered, not left waiting.
                if (_waiting.Count > 0 && (!_held || _stopping))
                {
                    batch = AppendBatchBounds.TakeFrom(_waiting);
                    wake = Task.CompletedTask;
                }
                else
                {
                    batch = [];
                    _wake ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wake = _wake.Task;
                }
            }

            if (batch.Count == 0)
            {
                await wake;
                continue;
            }

            await WriteAsync(batch);
        }
    }

    /// <summary>
    /// Writes the batch and answers each request. A value the database refuses (SQLSTATE class 22, data exception) fails
    /// the whole call without saying which request carried it: the batch is then written in halves, in order, until
    /// the request that carried it is alone and is refused alone; every other request is stored as if nothing happened.
    /// </summary>
    private async Task WriteAsync(List<PendingAppend> batch)
    {
        try
        {
            // Not cancellable by any one caller: every request in the batch waits for it.
            _connection ??= await dataSource.OpenConnectionAsync(CancellationToken.None);
            var requests = batch.ConvertAll(p => p.Request);
            using var span = AppendBatchSpan.Start(requests);
            var outcomes = await EventStore.AppendAsync(_connection, requests, CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Outcome.TrySetResult(outcomes[i]);
            }
        }
        catch (PostgresException ex) when (batch.Count > 1 && ex.SqlState.StartsWith("22", StringComparison.Ordinal))
        {
            LogValueRefused(batch.Count, ex.SqlState);
            var half = batch.Count / 2;
            await WriteAsync(batch[..half]);
            await WriteAsync(batch[half..]);
        }
        catch (Exception ex)
        {
            if (_connection is not null && (ex is not PostgresException || _connection.State != System.Data.ConnectionState.Open))
            {
                // Not an error the server answered with on a healthy connection: the connection itself may be gone.
                await _connection.DisposeAsync();
                _connection = null;
            }

            batch.ForEach(p => p.Outcome.TrySetException(ex));
        }
    }

    private void WakeLocked()
    {
        _wake?.TrySetResult();
        _wake = null;
    }

    [LoggerMessage(LogLevel.Information, "The database refused a value in a batch of {Requests} appends ({SqlState}); writing it in halves to refuse only the request that carried it")]
    private partial void LogValueRefused(int requests, string sqlState);

    private sealed class Release(AppendWriter writer) : IDisposable
    {
        public void Dispose()
        {
            lock (writer._gate)
            {
                writer._held = false;
                writer.WakeLocked();
            }
        }
    }
}
