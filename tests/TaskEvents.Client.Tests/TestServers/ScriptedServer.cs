using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TaskEvents.Client.Tests.TestServers;

/// <summary>A Kestrel server that answers every request with a test's script and records what it was sent.</summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedServer(WebApplication app, Uri baseAddress, RequestLog log)
    {
        _app = app;
        BaseAddress = baseAddress;
        Log = log;
    }

    public Uri BaseAddress { get; }

    public RequestLog Log { get; }

    public IReadOnlyList<RecordedRequest> Requests => Log.Requests;

    public static async Task<ScriptedServer> StartAsync(Func<HttpContext, RecordedRequest, Task> script)
    {
        var log = new RequestLog();
        var (app, baseAddress) = await KestrelTestApp.StartAsync(app => app.Run(async context =>
        {
            var request = await log.RecordAsync(context);
            try
            {
                await script(context, request);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client hung up on a stream the script was holding open.
            }
        }));
        return new ScriptedServer(app, baseAddress, log);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
