using System.Net.ServerSentEvents;

namespace TaskEvents.Client.Streaming;

/// <summary>
/// One open stream response, read message by message with <see cref="SseParser"/> under a heartbeat watchdog.
/// Transport failures and silence are reported as a closed stream (the subscription reconnects), never thrown.
/// </summary>
internal sealed class SseConnection : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamWatchdog _watchdog;
    private readonly CancellationTokenSource _readCancellation;
    private readonly IAsyncEnumerator<SseItem<StreamMessage>> _messages;
    private readonly CancellationToken _subscriberCancellation;

    public SseConnection(HttpResponseMessage response, Stream body, StreamWatchdog watchdog, CancellationToken cancellationToken)
    {
        _response = response;
        _watchdog = watchdog;
        _subscriberCancellation = cancellationToken;
        _readCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, watchdog.Token);
        var observed = new ActivityObservingStream(body, watchdog);
        _messages = SseParser.Create(observed, StreamMessageParser.Parse).EnumerateAsync(_readCancellation.Token).GetAsyncEnumerator(_readCancellation.Token);
    }

    public async Task<StreamRead> ReadAsync()
    {
        try
        {
            while (await _messages.MoveNextAsync())
            {
                if (_messages.Current.Data is { } message && message != StreamMessage.Unreadable)
                {
                    return new StreamRead(message, null);
                }
            }

            return StreamRead.Closed("the server closed the stream");
        }
        catch (Exception) when (_subscriberCancellation.IsCancellationRequested)
        {
            throw new OperationCanceledException(_subscriberCancellation);
        }
        catch (Exception) when (_watchdog.Expired)
        {
            return StreamRead.Closed($"nothing arrived for {_watchdog.Timeout.TotalSeconds:0.###} s");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return StreamRead.Closed(ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Cancel first: disposing a parser that is mid-read would otherwise wait for the next byte.
        await _readCancellation.CancelAsync();
        try
        {
            await _messages.DisposeAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            // The connection is being thrown away.
        }

        _response.Dispose();
        _readCancellation.Dispose();
        _watchdog.Dispose();
    }
}
