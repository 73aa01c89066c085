using System.Text;
using System.Text.Json;
using TaskEvents.Api.Events;

namespace TaskEvents.Api.Apis;

/// <summary>
/// Turns an append body — one event object, or <c>{"events":[...]}</c> — into validated events,
/// or into field-level errors keyed like <c>events[3].event_type</c>.
/// </summary>
public static class AppendRequestParser
{
    private static readonly HashSet<string> EventFields =
        ["event_id", "event_type", "phase", "actor", "span_id", "parent_span_id", "payload"];

    public static (List<NewEvent> Events, Dictionary<string, string[]> Errors) Parse(JsonElement body)
    {
        var errors = new Dictionary<string, string[]>();
        var events = new List<NewEvent>();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["The body must be an event object or {\"events\": [...]}."];
            return (events, errors);
        }

        if (!body.TryGetProperty("events", out var batch))
        {
            ParseEvent(body, "$", events, errors);
            return (events, errors);
        }

        foreach (var property in body.EnumerateObject().Where(p => p.Name != "events"))
        {
            errors[property.Name] = ["Unknown field: a batch body holds only \"events\"."];
        }

        if (batch.ValueKind != JsonValueKind.Array)
        {
            errors["events"] = ["\"events\" must be an array of event objects."];
            return (events, errors);
        }

        var count = batch.GetArrayLength();
        if (count is 0 or > EventRules.MaxEventsPerAppend)
        {
            errors["events"] = [$"\"events\" must hold 1 to {EventRules.MaxEventsPerAppend} events; it holds {count}."];
            return (events, errors);
        }

        var index = 0;
        foreach (var item in batch.EnumerateArray())
        {
            ParseEvent(item, $"events[{index++}]", events, errors);
        }

        CheckBatchRules(events, errors);
        return (events, errors);
    }

    private static void CheckBatchRules(List<NewEvent> events, Dictionary<string, string[]> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            if (!seen.Add(events[i].EventId))
            {
                errors[$"events[{i}].event_id"] = [$"event_id '{events[i].EventId}' appears more than once in this request."];
            }

            if (i < events.Count - 1 && TaskLifecycle.SetBy(events[i].EventType) is not null)
            {
                errors[$"events[{i}].event_type"] = [$"'{events[i].EventType}' ends the task, so it must be the last event of the request."];
            }
        }
    }

    private static void ParseEvent(JsonElement item, string path, List<NewEvent> events, Dictionary<string, string[]> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors[path] = ["An event must be a JSON object."];
            return;
        }

        var errorCount = errors.Count;
        foreach (var property in item.EnumerateObject().Where(p => !EventFields.Contains(p.Name)))
        {
            errors[$"{path}.{property.Name}"] = [property.Name is "seq" or "created_at" or "task_id"
                ? $"{property.Name} is assigned by the server; leave it out."
                : "Unknown field."];
        }

        var eventType = Text(item, "event_type", path, errors, required: true);
        if (eventType is not null && !EventRules.EventType().IsMatch(eventType))
        {
            errors[$"{path}.event_type"] = ["event_type must match ^[a-z][a-z0-9_.]{0,63}$ (for example \"work_item_start\")."];
        }

        var eventId = Text(item, "event_id", path, errors, required: false);
        var phase = Text(item, "phase", path, errors, required: false);
        var actor = Text(item, "actor", path, errors, required: false);
        var spanId = Text(item, "span_id", path, errors, required: false);
        var parentSpanId = Text(item, "parent_span_id", path, errors, required: false);
        var payload = JsonObjectText(item, "payload", path, errors, EventRules.MaxPayloadBytes) ?? "{}";

        if (errors.Count == errorCount)
        {
            events.Add(new NewEvent(eventId ?? Guid.CreateVersion7().ToString(), eventType!, phase, actor, spanId, parentSpanId, payload));
        }
    }

    private static string? Text(JsonElement item, string name, string path, Dictionary<string, string[]> errors, bool required)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors[$"{path}.{name}"] = [$"{name} is required."];
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String || TryGetString(value) is not { } text || !EventRules.IsValidText(text))
        {
            errors[$"{path}.{name}"] = [$"{name} must be a string of 1 to {EventRules.MaxTextFieldLength} printable characters."];
            return null;
        }

        return text;
    }

    /// <summary>A JSON object field's text, checked for size and for strings PostgreSQL cannot store (NUL, lone surrogates).</summary>
    public static string? JsonObjectText(JsonElement item, string name, string path, Dictionary<string, string[]> errors, int maxBytes)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var key = path == "$" ? name : $"{path}.{name}";
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors[key] = [$"{name} must be a JSON object."];
            return null;
        }

        var text = value.GetRawText();
        if (Encoding.UTF8.GetByteCount(text) > maxBytes)
        {
            errors[key] = [$"{name} must be at most {maxBytes} bytes of JSON."];
            return null;
        }

        if (!IsStorableJson(value))
        {
            errors[key] = [$"{name} contains a NUL character, an unpaired surrogate or a number too large to store."];
            return null;
        }

        return text;
    }

    private static bool IsStorableJson(JsonElement element)
    {
        try
        {
            return HasOnlyStorableStrings(element);
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to decode escaped lone surrogates.
            return false;
        }
    }

    private static string? TryGetString(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static bool HasOnlyStorableStrings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().All(p => IsStorable(p.Name) && HasOnlyStorableStrings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().All(HasOnlyStorableStrings),
        JsonValueKind.String => IsStorable(element.GetString()!),
        // PostgreSQL's numeric overflows long before JSON's grammar does (1e400 is valid JSON): numbers must fit a double.
        JsonValueKind.Number => element.TryGetDouble(out var number) && double.IsFinite(number),
        _ => true,
    };

    private static bool IsStorable(string text) => !text.Contains('\0', StringComparison.Ordinal) && EventRules.IsWellFormedUtf16(text);
}
