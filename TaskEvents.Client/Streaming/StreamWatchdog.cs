namespace TaskEvents.Client.Streaming;

/// <summary>
/// Cancels its token when nothing has arrived for the silence timeout. Every byte from the server (events and
/// keepalive comments alike) pushes the deadline back, so only a stream that is truly silent trips it.
/// </summary>
internal sealed class StreamWatchdog : IDisposable
{
    private readonly CancellationTokenSource _expired;
    private readonly TimeSpan _timeout;

    public StreamWatchdog(TimeSpan timeout, TimeProvider time)
    {
        _timeout = timeout;
        _expired = new CancellationTokenSource(timeout, time);
    }

    public CancellationToken Token => _expired.Token;

    public bool Expired => _expired.IsCancellationRequested;

    public TimeSpan Timeout => _timeout;

    public void Kick()
    {
        try
        {
            _expired.CancelAfter(_timeout);
        }
        catch (ObjectDisposedException)
        {
            // A read that completes while the connection is being closed.
        }
    }

    public void Dispose() => _expired.Dispose();
}
