using System.Text.Json;
using System.Text.RegularExpressions;
using TaskEvents.ServiceDefaults.Authentication;

namespace TaskEvents.Gateway.DevTokens;

/// <summary>
/// <c>{tenant?, scopes?, ttl_seconds?, sub?}</c>, every field checked; absent ones take defaults
/// (tenant <c>default</c>, both scopes, the configured TTL, a fresh subject).
/// </summary>
internal sealed partial record DevTokenRequest(string Tenant, IReadOnlyList<string> Scopes, int TtlSeconds, string Subject)
{
    public const string DefaultTenant = "default";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex Name();

    public static (DevTokenRequest? Request, Dictionary<string, string[]> Errors) Parse(JsonElement? body, DevTokenOptions options)
    {
        var errors = new Dictionary<string, string[]>();
        var root = body ?? default;
        if (body is not null && root.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["The body must be a JSON object: {\"tenant\"?, \"scopes\"?, \"ttl_seconds\"?, \"sub\"?}."];
            return (null, errors);
        }

        if (body is { } present)
        {
            foreach (var property in present.EnumerateObject().Where(p => p.Name is not ("tenant" or "scopes" or "ttl_seconds" or "sub")))
            {
                errors[property.Name] = ["Unknown field."];
            }
        }

        var tenant = NameField(root, "tenant", DefaultTenant, errors);
        var subject = NameField(root, "sub", $"dev-{Guid.NewGuid():N}", errors);
        var scopes = ScopesField(root, errors);
        var ttl = options.DefaultTtlSeconds;
        if (TryGet(root, "ttl_seconds", out var ttlValue) && !(ttlValue.ValueKind == JsonValueKind.Number && ttlValue.TryGetInt32(out ttl) && ttl >= 1 && ttl <= options.MaxTtlSeconds))
        {
            errors["ttl_seconds"] = [$"ttl_seconds must be a whole number from 1 to {options.MaxTtlSeconds}."];
        }

        return errors.Count > 0 ? (null, errors) : (new DevTokenRequest(tenant, scopes, ttl, subject), errors);
    }

    private static string NameField(JsonElement root, string name, string defaultValue, Dictionary<string, string[]> errors)
    {
        if (!TryGet(root, name, out var value))
        {
            return defaultValue;
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString() is { } text && Name().IsMatch(text))
        {
            return text;
        }

        errors[name] = [$"{name} must match ^[A-Za-z0-9][A-Za-z0-9._-]{{0,63}}$."];
        return defaultValue;
    }

    private static IReadOnlyList<string> ScopesField(JsonElement root, Dictionary<string, string[]> errors)
    {
        if (!TryGet(root, "scopes", out var value))
        {
            return EventScopes.All;
        }

        var scopes = value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(s => s.ValueKind == JsonValueKind.String ? s.GetString() : null).ToList()
            : [];
        if (scopes.Count == 0 || scopes.Any(s => s is null || !EventScopes.All.Contains(s)))
        {
            errors["scopes"] = [$"scopes must be a non-empty array of: {string.Join(", ", EventScopes.All)}."];
            return [];
        }

        return scopes.Distinct().ToList()!;
    }

    private static bool TryGet(JsonElement root, string name, out JsonElement value)
    {
        value = default;
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }
}
