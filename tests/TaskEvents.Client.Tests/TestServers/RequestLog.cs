using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace TaskEvents.Client.Tests.TestServers;

/// <summary>Records every request a test server receives, body included, so tests can count and inspect them.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _count;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests.OrderBy(r => r.Number)];

    public async Task<RecordedRequest> RecordAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var recorded = new RecordedRequest(
            Interlocked.Increment(ref _count),
            request.Method,
            request.Path.Value ?? "",
            request.QueryString.Value ?? "",
            request.Headers.Authorization.FirstOrDefault(),
            request.Headers["Last-Event-ID"].FirstOrDefault(),
            body,
            DateTimeOffset.UtcNow);
        _requests.Enqueue(recorded);
        return recorded;
    }
}
