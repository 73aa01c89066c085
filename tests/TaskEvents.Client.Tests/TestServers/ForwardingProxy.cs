using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TaskEvents.Client.Tests.TestServers;

/// <summary>
/// An HTTP proxy in front of a real Api that records every request and can misbehave the way networks and
/// intermediaries do: stream frames pass through <see cref="FrameFilter"/> (to drop, repeat or replay them), and
/// <see cref="LoseResponse"/> forwards a request but cuts the connection instead of answering.
/// </summary>
public sealed class ForwardingProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;

    private ForwardingProxy(WebApplication app, Uri baseAddress, HttpClient upstream, RequestLog log)
    {
        _app = app;
        BaseAddress = baseAddress;
        _upstream = upstream;
        Log = log;
    }

    public Uri BaseAddress { get; }

    public RequestLog Log { get; }

    public IReadOnlyList<RecordedRequest> Requests => Log.Requests;

    /// <summary>What to send for each upstream frame (comments and the retry hint included); identity by default.</summary>
    public Func<SseFrame, IEnumerable<SseFrame>> FrameFilter { get; set; } = frame => [frame];

    /// <summary>Requests that reach the Api but whose answer never reaches the client.</summary>
    public Func<RecordedRequest, bool> LoseResponse { get; set; } = _ => false;

    public static async Task<ForwardingProxy> StartAsync(Uri upstreamAddress)
    {
        var log = new RequestLog();
        var upstream = new HttpClient { BaseAddress = upstreamAddress, Timeout = Timeout.InfiniteTimeSpan };
        ForwardingProxy? proxy = null;
        var (app, baseAddress) = await KestrelTestApp.StartAsync(app => app.Run(context => proxy!.ForwardAsync(context)));
        proxy = new ForwardingProxy(app, baseAddress, upstream, log);
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var recorded = await Log.RecordAsync(context);
        using var request = new HttpRequestMessage(new HttpMethod(recorded.Method), recorded.Path + recorded.Query);
        foreach (var header in new[] { "Authorization", "Last-Event-ID", "Accept" })
        {
            if (context.Request.Headers.TryGetValue(header, out var value))
            {
                request.Headers.TryAddWithoutValidation(header, value.ToArray());
            }
        }

        if (recorded.Body.Length > 0)
        {
            request.Content = new StringContent(recorded.Body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(context.Request.ContentType ?? "application/json");
        }

        var aborted = context.RequestAborted;
        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, aborted);
        if (LoseResponse(recorded))
        {
            await response.Content.LoadIntoBufferAsync(aborted);
            context.Abort();
            return;
        }

        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } contentType)
        {
            context.Response.ContentType = contentType.ToString();
        }

        if (response.Headers.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString();
        }

        if (recorded.IsStream && response.IsSuccessStatusCode)
        {
            await RelayFramesAsync(response, context.Response, aborted);
        }
        else
        {
            await response.Content.CopyToAsync(context.Response.Body, aborted);
        }
    }

    private async Task RelayFramesAsync(HttpResponseMessage upstream, HttpResponse downstream, CancellationToken aborted)
    {
        await downstream.Body.FlushAsync(aborted);
        using var frames = new SseWireReader(upstream);
        try
        {
            while (await frames.ReadFrameAsync(aborted) is { } frame)
            {
                foreach (var sent in FrameFilter(frame))
                {
                    await downstream.WriteAsync(Format(sent), aborted);
                }

                await downstream.Body.FlushAsync(aborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && aborted.IsCancellationRequested)
        {
            // The client left.
        }
    }

    private static string Format(SseFrame frame)
    {
        var text = new StringBuilder();
        if (frame.Comment is not null)
        {
            text.Append(": ").Append(frame.Comment).Append('\n');
        }

        if (frame.Retry is not null)
        {
            text.Append("retry: ").Append(frame.Retry).Append('\n');
        }

        if (frame.Id is not null)
        {
            text.Append("id: ").Append(frame.Id).Append('\n');
        }

        if (frame.Data is not null)
        {
            text.Append("data: ").Append(frame.Data).Append('\n');
        }

        return text.Append('\n').ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
