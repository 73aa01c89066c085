using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace TaskEvents.Client.Tests.TestServers;

/// <summary>Writes what a TaskEvents server would send, for scripted servers.</summary>
internal static class SseResponses
{
    public static async Task StartStreamAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    public static async Task WriteEventAsync(HttpContext context, string taskId, long seq, string eventType = "note")
    {
        await context.Response.WriteAsync($"id: {seq}\ndata: {EventJson(taskId, seq, eventType)}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    public static async Task WriteEndAsync(HttpContext context, long lastSeq)
    {
        await context.Response.WriteAsync($"data: {{\"type\":\"end\",\"last_seq\":{lastSeq},\"status\":\"completed\"}}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    public static Task WriteProblemAsync(HttpContext context, int status, string title)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { status, title }));
    }

    public static string EventJson(string taskId, long seq, string eventType) => JsonSerializer.Serialize(new
    {
        seq,
        event_id = $"evt-{seq}",
        task_id = taskId,
        event_type = eventType,
        phase = (string?)null,
        actor = (string?)null,
        span_id = (string?)null,
        parent_span_id = (string?)null,
        payload = new { },
        created_at = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
    });
}
