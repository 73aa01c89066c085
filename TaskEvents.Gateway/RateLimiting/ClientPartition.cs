using TaskEvents.ServiceDefaults.Authentication;

namespace TaskEvents.Gateway.RateLimiting;

/// <summary>Who a request counts against: the authenticated subject, else the remote address.</summary>
internal static class ClientPartition
{
    public static string Of(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && TokenClaims.SubjectOf(context.User) is { Length: > 0 } subject
            ? $"sub:{subject}"
            : $"ip:{context.Connection.RemoteIpAddress}";
}
