namespace TaskEvents.ServiceDefaults.Authentication;

/// <summary>The scopes a token can grant: reading and subscribing, or creating tasks and appending events.</summary>
public static class EventScopes
{
    public const string Read = "events:read";
    public const string Write = "events:write";

    public static IReadOnlyList<string> All { get; } = [Read, Write];
}
