using TaskEvents.ServiceDefaults.Authentication;

namespace TaskEvents.Api.Streaming;

/// <summary>
/// When the server ends a stream before its task ends, and the <c>reconnect</c> reason it gives: the process is
/// stopping (<c>server_shutdown</c>) or the token the stream was opened with expires (<c>token_expired</c>).
/// The expiry is one timer per stream, armed at open, so nothing is checked per event.
/// </summary>
public sealed class StreamCutoff : IDisposable
{
    public const string ServerShutdown = Contracts.ReconnectReasons.ServerShutdown;
    public const string TokenExpired = Contracts.ReconnectReasons.TokenExpired;

    private readonly CancellationToken _stopping;
    private readonly CancellationTokenSource _tokenExpiry;
    private readonly CancellationTokenSource _either;

    public StreamCutoff(CancellationToken stopping, DateTimeOffset tokenExpiresAt, TimeProvider time)
    {
        _stopping = stopping;
        _tokenExpiry = new CancellationTokenSource(TokenExpiryTimer.Until(tokenExpiresAt, time.GetUtcNow()), time);
        _either = CancellationTokenSource.CreateLinkedTokenSource(stopping, _tokenExpiry.Token);
    }

    /// <summary>Cancelled once the stream must end: the process stops or the token expires.</summary>
    public CancellationToken Token => _either.Token;

    /// <summary>The <c>reason</c> of the stream's last message; a stopping process wins over an expiry at the same time.</summary>
    public string Reason => _stopping.IsCancellationRequested ? ServerShutdown : TokenExpired;

    public void Dispose()
    {
        _either.Dispose();
        _tokenExpiry.Dispose();
    }
}
