using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TaskEvents.ServiceDefaults.Authentication;

namespace TaskEvents.Testing;

/// <summary>
/// Bearer tokens for the tests, signed with the key every test host is configured with, and the broken ones
/// the services must refuse: expired, not yet valid, wrong key, unsigned (<c>alg: none</c>), tampered.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "taskevents-tests";
    public const string Audience = "taskevents";
    public const string SigningKey = "taskevents-test-signing-key-0123456789abcdef";
    public const string DefaultTenant = "default";
    public const string BothScopes = $"{EventScopes.Read} {EventScopes.Write}";

    /// <summary>The <c>Auth</c> settings that make a host accept these tokens.</summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Auth:Issuer"] = Issuer,
        ["Auth:Audience"] = Audience,
        ["Auth:SigningKey"] = SigningKey,
        ["Auth:ClockSkewSeconds"] = "5",
    };

    /// <summary>A valid token, unless the arguments say otherwise.</summary>
    public static string Create(
        string? tenant = DefaultTenant,
        string? scope = BothScopes,
        string? subject = null,
        DateTime? notBefore = null,
        DateTime? expires = null,
        string issuer = Issuer,
        string audience = Audience,
        string signingKey = SigningKey)
    {
        var now = DateTime.UtcNow;
        var descriptor = Describe(tenant, scope, subject, notBefore ?? now.AddMinutes(-1), expires ?? now.AddHours(1), issuer, audience);
        descriptor.SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256);
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>
    /// A valid token that expires <paramref name="lifetime"/> from now (JWT <c>exp</c> is in whole seconds, so up to a
    /// second sooner). <see cref="ExpiresAt"/> tells exactly when.
    /// </summary>
    public static string ValidFor(TimeSpan lifetime, string? tenant = DefaultTenant, string? scope = BothScopes, string? subject = null) =>
        Create(tenant, scope, subject, expires: DateTime.UtcNow + lifetime);

    /// <summary>The <c>exp</c> of a token made here.</summary>
    public static DateTimeOffset ExpiresAt(string token) =>
        DateTimeOffset.FromUnixTimeSeconds(new JsonWebToken(token).GetPayloadValue<long>("exp"));

    public static string Expired() => Create(notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddMinutes(-10));

    public static string NotYetValid() => Create(notBefore: DateTime.UtcNow.AddMinutes(10), expires: DateTime.UtcNow.AddHours(1));

    public static string WrongKey() => Create(signingKey: "some-other-key-that-is-long-enough-0123456789");

    public static string WrongIssuer() => Create(issuer: "someone-else");

    public static string WrongAudience() => Create(audience: "another-service");

    /// <summary>A well-formed token with <c>alg: none</c> and no signature.</summary>
    public static string Unsigned()
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(Describe(DefaultTenant, BothScopes, null, now.AddMinutes(-1), now.AddHours(1), Issuer, Audience));
    }

    /// <summary>A correctly signed token whose payload was changed afterwards (the tenant swapped), signature kept.</summary>
    public static string Tampered(string tenant = "someone-elses-tenant")
    {
        var parts = Create().Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        payload["tenant"] = tenant;
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
    }

    private static SecurityTokenDescriptor Describe(
        string? tenant, string? scope, string? subject, DateTime notBefore, DateTime expires, string issuer, string audience)
    {
        var claims = new Dictionary<string, object> { [TokenClaims.Subject] = subject ?? $"test-{Guid.NewGuid():N}" };
        if (tenant is not null)
        {
            claims[TokenClaims.Tenant] = tenant;
        }

        if (scope is not null)
        {
            claims[TokenClaims.Scope] = scope;
        }

        return new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            Claims = claims,
        };
    }
}
