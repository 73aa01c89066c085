using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TaskEvents.ServiceDefaults.Authentication;

namespace TaskEvents.Gateway.DevTokens;

/// <summary>Signs development tokens with the HS256 key, issuer and audience every service validates against.</summary>
internal sealed class DevTokenIssuer(IOptions<AuthOptions> authOptions, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    public string Issue(DevTokenRequest request)
    {
        var auth = authOptions.Value;
        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(request.TtlSeconds),
            Claims = new Dictionary<string, object>
            {
                [TokenClaims.Subject] = request.Subject,
                [TokenClaims.Tenant] = request.Tenant,
                [TokenClaims.Scope] = string.Join(' ', request.Scopes),
            },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(auth.SigningKeyBytes), SecurityAlgorithms.HmacSha256),
        });
    }
}
