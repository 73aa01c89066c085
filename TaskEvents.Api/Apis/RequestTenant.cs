namespace TaskEvents.Api.Apis;

/// <summary>Which tenant a request acts for. Every task lookup goes through here.</summary>
internal static class RequestTenant
{
    public const string Default = "default";

    // Until the gateway's authentication lands every request belongs to the default tenant.
    public static string Of(HttpContext context) => Default;
}
