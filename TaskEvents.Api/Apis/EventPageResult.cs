using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using TaskEvents.Api.Events;

namespace TaskEvents.Api.Apis;

/// <summary>
/// A page of events as <c>{task_id, events, has_more, next_since_seq}</c>, written from the events'
/// stored JSON without serializing them again.
/// </summary>
internal sealed class EventPageResult(string taskId, IReadOnlyList<StoredEvent> events, bool hasMore, long nextSinceSeq)
    : IResult, IEndpointMetadataProvider
{
    /// <summary>Tells OpenAPI what a handler returning this answers: 200 with a JSON object (its events are stored JSON, not a type).</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(object), ["application/json"]));

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
