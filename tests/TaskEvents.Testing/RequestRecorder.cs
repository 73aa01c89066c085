using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace TaskEvents.Testing;

/// <summary>Records every request a host receives, ahead of the app's own pipeline, so tests can see what a proxy forwarded.</summary>
internal sealed class RequestRecorder(ConcurrentQueue<ReceivedRequest> requests) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var request = context.Request;
            var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            requests.Enqueue(new ReceivedRequest(
                request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", headers, request.Protocol, context.Connection.Id));
            await nextMiddleware(context);
        });
        next(app);
    };
}
