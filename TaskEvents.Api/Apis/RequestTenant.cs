using TaskEvents.ServiceDefaults.Authentication;

namespace TaskEvents.Api.Apis;

/// <summary>Which tenant a request acts for: the <c>tenant</c> claim of its validated token. Every task lookup goes through here.</summary>
internal static class RequestTenant
{
    // Every task endpoint requires a policy that demands exactly one tenant claim, so a missing one is a wiring bug.
    public static string Of(HttpContext context) => TokenClaims.TenantOf(context.User)
        ?? throw new InvalidOperationException($"{context.Request.Path} reached a task lookup without a tenant; the endpoint lacks its authorization policy.");
}
