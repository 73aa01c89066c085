using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace TaskEvents.ServiceDefaults.Http;

/// <summary>How a task's event stream answers once it is accepted, whoever serves it (the Api, or the gateway fanning out).</summary>
public static class EventStreamResponse
{
    public const string ContentType = "text/event-stream";

    /// <summary>The header a resuming client sends its last event's seq in.</summary>
    public const string LastEventIdHeader = "Last-Event-ID";

    public static void Start(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }
}
