using System.Buffers;
using TaskEvents.Contracts;
using TaskEvents.ServiceDefaults.Authentication;
using TaskEvents.ServiceDefaults.Http;

namespace TaskEvents.Gateway.FanOut;

/// <summary>
/// One subscriber's response served from a hub: the upstream's frames from its resume point on, as the Api sent them
/// (batches, keepalives, the <c>end</c>), and the goodbyes that are its own: <c>reconnect</c> when its token expires, at
/// its event limit, when it fell behind the ring, or when the shared stream could not go on.
/// </summary>
internal sealed class SharedStreamSession(HttpContext context, StreamHub hub, HubSubscriber subscriber, StreamFanOutOptions options, TimeProvider time)
{
    private readonly CancellationToken _aborted = context.RequestAborted;
    private long _lastSeq = subscriber.Request.LastSeq;
    private int _sent;

    public async Task RunAsync()
    {
        var output = context.Response.BodyWriter;
        EventStreamResponse.Start(context.Response);
        output.Write(hub.Prologue.Span);
        await output.FlushAsync(_aborted);

        using var expiry = new CancellationTokenSource(TokenExpiryTimer.Until(subscriber.Request.TokenExpiresAt, time.GetUtcNow()), time);
        var leaving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onAbort = _aborted.Register(() => leaving.TrySetResult());
        await using var onExpiry = expiry.Token.Register(() => leaving.TrySetResult());

        var next = subscriber.Next;
        while (true)
        {
            if (expiry.IsCancellationRequested)
            {
                await ReconnectAsync(ReconnectReasons.TokenExpired);
                return;
            }

            var read = hub.Read(next, _lastSeq, output, options.MaxEventsPerStream - _sent);
            next = read.Next;
            if (read.Events > 0)
            {
                _sent += read.Events;
                _lastSeq = read.LastSeq;
            }

            switch (read.Status)
            {
                case HubReadStatus.Ended:
                    await output.FlushAsync(_aborted);
                    return;
                case HubReadStatus.Behind:
                    await ReconnectAsync(ReconnectReasons.FellBehind);
                    return;
                case HubReadStatus.Failed:
                    await ReconnectAsync(expiry.IsCancellationRequested ? ReconnectReasons.TokenExpired : hub.FailReason);
                    return;
            }

            if (_sent >= options.MaxEventsPerStream)
            {
                await ReconnectAsync(ReconnectReasons.EventLimitReached);
                return;
            }

            if (read.Bytes)
            {
                await output.FlushAsync(_aborted);
                continue;
            }

            await Task.WhenAny(read.Changed, leaving.Task);
            _aborted.ThrowIfCancellationRequested();
        }
    }

    private async Task ReconnectAsync(string reason)
    {
        ControlMessageFrame.Write(context.Response.BodyWriter, ControlMessageTypes.Reconnect, _lastSeq, "reason", reason);
        await context.Response.BodyWriter.FlushAsync(_aborted);
    }
}
