using System.Text.Json;
using TaskEvents.Api.Events;

namespace TaskEvents.Api.Apis;

/// <summary>
/// A page of events as <c>{task_id, events, has_more, next_since_seq}</c>, written from the events'
/// stored JSON without serializing them again.
/// </summary>
internal sealed class EventPageResult(string taskId, IReadOnlyList<StoredEvent> events, bool hasMore, long nextSinceSeq) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await using (var json = new Utf8JsonWriter(httpContext.Response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteString("task_id", taskId);
            json.WriteStartArray("events");
            foreach (var storedEvent in events)
            {
                json.WriteRawValue(storedEvent.Json.Span, skipInputValidation: true);
            }

            json.WriteEndArray();
            json.WriteBoolean("has_more", hasMore);
            json.WriteNumber("next_since_seq", nextSinceSeq);
            json.WriteEndObject();
        }

        await httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
