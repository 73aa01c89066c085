using System.Text.Json;

namespace TaskEvents.Gateway.Proxy;

/// <summary>
/// Whether an append can be sent twice without storing anything twice: every event in it carries an event_id, which
/// the Api stores once (a repeat answers the stored seq). The body is the Api's: one event object, or
/// <c>{"events": [...]}</c>. Read only when an append has to be resent, never on the normal path.
/// </summary>
internal static class IdempotentAppendBody
{
    public static async Task<bool> IsIdempotentAsync(Stream body, CancellationToken cancellationToken)
    {
        if (!body.CanSeek)
        {
            return false;
        }

        body.Position = 0;
        try
        {
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            return root.TryGetProperty("events", out var events)
                ? events.ValueKind == JsonValueKind.Array && events.GetArrayLength() > 0 && events.EnumerateArray().All(HasEventId)
                : HasEventId(root);
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            body.Position = 0;
        }
    }

    private static bool HasEventId(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object
        && e.TryGetProperty("event_id", out var id)
        && id.ValueKind == JsonValueKind.String
        && id.GetString() is { Length: > 0 };
}
