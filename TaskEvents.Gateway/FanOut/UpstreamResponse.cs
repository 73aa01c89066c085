using System.IO.Pipelines;

namespace TaskEvents.Gateway.FanOut;

/// <summary>
/// An open upstream stream from one Api replica. A read that waits longer than the cluster's activity timeout (the Api
/// sends keepalives far more often) counts as a broken connection, so a frozen replica cannot hold a shared stream.
/// </summary>
internal sealed class UpstreamResponse(HttpResponseMessage response, string destination, TimeSpan activityTimeout) : IDisposable
{
    private CancellationTokenSource? _idle;

    public HttpResponseMessage Response => response;

    /// <summary>The destination (Api replica) it came from.</summary>
    public string Destination => destination;

    public async ValueTask<ReadResult> ReadAsync(PipeReader reader, CancellationToken stop)
    {
        _idle ??= CancellationTokenSource.CreateLinkedTokenSource(stop);
        _idle.CancelAfter(activityTimeout);
        return await reader.ReadAsync(_idle.Token);
    }

    public void Dispose()
    {
        _idle?.Dispose();
        response.Dispose();
    }
}
