namespace TaskEvents.ServiceDefaults.Authentication;

/// <summary>Authorization policy names. Every policy requires a valid token that names a tenant.</summary>
public static class AuthPolicies
{
    /// <summary>Any valid token with a tenant: what the gateway demands before forwarding.</summary>
    public const string Authenticated = "authenticated";

    /// <summary>Read tasks and events, subscribe to streams.</summary>
    public const string ReadEvents = "events-read";

    /// <summary>Create tasks and append events.</summary>
    public const string WriteEvents = "events-write";
}
