using System.Globalization;

namespace TaskEvents.Client.Http;

/// <summary>The server's URLs, relative to a base address that ends with '/' (so a gateway under a path prefix works).</summary>
internal sealed class TaskEventsRoutes(Uri baseAddress)
{
    private readonly Uri _base = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");

    public Uri Tasks() => new(_base, "api/tasks");

    public Uri Task(string taskId) => new(_base, $"api/tasks/{Escape(taskId)}");

    public Uri Events(string taskId) => new(_base, $"api/tasks/{Escape(taskId)}/events");

    public Uri EventPage(string taskId, long sinceSeq, int limit) =>
        new(_base, string.Create(CultureInfo.InvariantCulture, $"api/tasks/{Escape(taskId)}/events?since_seq={sinceSeq}&limit={limit}"));

    public Uri Stream(string taskId, long sinceSeq, int? batchSize, TimeSpan? flushInterval)
    {
        var query = string.Create(CultureInfo.InvariantCulture, $"since_seq={sinceSeq}");
        if (batchSize is { } batch)
        {
            query += string.Create(CultureInfo.InvariantCulture, $"&batch_size={batch}");
        }

        if (flushInterval is { } flush)
        {
            query += string.Create(CultureInfo.InvariantCulture, $"&flush_interval={flush.TotalSeconds:0.###}");
        }

        return new Uri(_base, $"sse/tasks/{Escape(taskId)}/events?{query}");
    }

    private static string Escape(string taskId) => Uri.EscapeDataString(taskId);
}
