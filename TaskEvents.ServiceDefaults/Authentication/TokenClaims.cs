using System.Globalization;
using System.Security.Claims;

namespace TaskEvents.ServiceDefaults.Authentication;

/// <summary>The claims TaskEvents reads from a token: <c>sub</c>, <c>tenant</c>, the space-separated <c>scope</c> and <c>exp</c>.</summary>
public static class TokenClaims
{
    public const string Subject = "sub";
    public const string Tenant = "tenant";
    public const string Scope = "scope";
    public const string Expires = "exp";

    // Some identity providers (Entra ID) name the scope claim "scp".
    private const string ScopeAlias = "scp";

    /// <summary>The single non-empty tenant of the principal, or null (none, empty, or more than one).</summary>
    public static string? TenantOf(ClaimsPrincipal user)
    {
        string? tenant = null;
        foreach (var claim in user.FindAll(Tenant))
        {
            if (tenant is not null || claim.Value.Length == 0)
            {
                return null;
            }

            tenant = claim.Value;
        }

        return tenant;
    }

    /// <summary>
    /// A principal with only the claims read here (<c>sub</c>, <c>tenant</c>, <c>scope</c> or <c>scp</c>, <c>exp</c>), as new
    /// claims of a new identity that keeps the validated identity's authentication and name types. What JwtBearer builds
    /// also holds the parsed token (its JSON, every claim, property bags: about 5 KiB), and a stream keeps its principal
    /// for as long as it is open, in the gateway and again in the Api.
    /// </summary>
    public static ClaimsPrincipal KeepOnlyReadClaims(ClaimsPrincipal validated)
    {
        var identity = validated.Identity as ClaimsIdentity;
        var kept = validated.Claims
            .Where(claim => claim.Type is Subject or Tenant or Scope or ScopeAlias or Expires)
            .Select(claim => new Claim(claim.Type, claim.Value, claim.ValueType, claim.Issuer, claim.OriginalIssuer));
        return new ClaimsPrincipal(new ClaimsIdentity(kept, identity?.AuthenticationType, identity?.NameClaimType ?? Subject, identity?.RoleClaimType));
    }

    public static string? SubjectOf(ClaimsPrincipal user) => user.FindFirst(Subject)?.Value;

    /// <summary>Whether the token grants <paramref name="scope"/>, whether scopes come as one space-separated string or as an array.</summary>
    public static bool HasScope(ClaimsPrincipal user, string scope) =>
        user.Claims
            .Where(claim => claim.Type is Scope or ScopeAlias)
            .Any(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal));

    /// <summary>
    /// When the token expires: its <c>exp</c> (seconds since the epoch, fractions allowed), or null without one. Every
    /// validated token has one (<c>RequireExpirationTime</c>).
    /// </summary>
    public static DateTimeOffset? ExpiresAt(ClaimsPrincipal user) =>
        user.FindFirst(Expires)?.Value is { } exp
        && double.TryParse(exp, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
        && seconds is >= 0 and < 253402300800 // before year 10000: what DateTimeOffset can hold
            ? DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Floor(seconds * 1000))
            : null;
}
