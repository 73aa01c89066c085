using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TaskEvents.ServiceDefaults.Authentication;

namespace TaskEvents.LoadTests.Channels;

/// <summary>
/// Signs bearer tokens (HS256) the way the gateway's development endpoint does, so every subscriber and publisher can be its
/// own client (<c>sub</c>) under the gateway's per-client limits without a round trip per token.
/// </summary>
internal sealed class TokenMinter(string issuer, string audience, string signingKey, string tenant)
{
    /// <summary>The Development settings of the gateway and the Api (ServiceDefaults' <see cref="DevelopmentAuth"/>).</summary>
    public const string DevelopmentIssuer = DevelopmentAuth.Issuer;
    public const string DevelopmentSigningKey = DevelopmentAuth.SigningKey;
    public const string DefaultAudience = "taskevents";

    private readonly JsonWebTokenHandler _handler = new();
    private readonly SigningCredentials _credentials = new(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256);

    public string Create(string subject)
    {
        var now = DateTime.UtcNow;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddHours(12),
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["tenant"] = tenant, ["scope"] = "events:read events:write" },
            SigningCredentials = _credentials,
        });
    }
}
