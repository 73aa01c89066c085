using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace TaskEvents.ServiceDefaults.Authentication;

/// <summary>
/// Turns the validated <see cref="AuthOptions"/> into JwtBearer settings: claims kept as named in the token (only those
/// TaskEvents reads), lifetime and audience always checked, with a shared key only HS256 accepted (no algorithm confusion),
/// and validated tokens remembered for their next requests (<see cref="CachingTokenHandler"/>).
/// </summary>
internal sealed class JwtBearerOptionsSetup(IOptions<AuthOptions> authOptions, QueryTokenPath queryTokenPath, TimeProvider time) : IConfigureNamedOptions<JwtBearerOptions>
{
    public const string QueryTokenParameter = "access_token";

    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name == JwtBearerDefaults.AuthenticationScheme)
        {
            Configure(options);
        }
    }

    public void Configure(JwtBearerOptions options)
    {
        var auth = authOptions.Value;
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = string.IsNullOrWhiteSpace(auth.Issuer) ? null : auth.Issuer,
            ValidateAudience = true,
            ValidAudience = auth.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = auth.ClockSkew,
            NameClaimType = TokenClaims.Subject,
        };

        if (auth.UsesSigningKey)
        {
            options.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(auth.SigningKeyBytes);
            options.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }
        else
        {
            options.Authority = auth.Authority;
            options.RequireHttpsMetadata = auth.RequireHttpsMetadata;
        }

        if (auth.TokenCacheSize > 0)
        {
            options.TokenHandlers.Clear();
            options.TokenHandlers.Add(new CachingTokenHandler(auth.TokenCacheSize, TimeSpan.FromSeconds(auth.TokenCacheSeconds), time));
        }

        options.Events = new JwtBearerEvents { OnTokenValidated = KeepOnlyReadClaims };
        if (queryTokenPath.Prefix.HasValue)
        {
            options.Events.OnMessageReceived = ReadQueryToken;
        }
    }

    /// <summary>Requests carry only the claims TaskEvents reads: a stream holds its principal for as long as it is open.</summary>
    private static Task KeepOnlyReadClaims(TokenValidatedContext context)
    {
        if (context.Principal is { } validated)
        {
            context.Principal = TokenClaims.KeepOnlyReadClaims(validated);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// EventSource cannot set headers, so under the configured prefix a token may come as <c>?access_token=</c>.
    /// A header, when present, wins; the parameter is ignored everywhere else.
    /// </summary>
    private Task ReadQueryToken(MessageReceivedContext context)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments(queryTokenPath.Prefix)
            && !request.Headers.Authorization.Any()
            && request.Query.TryGetValue(QueryTokenParameter, out var token)
            && token.Count == 1)
        {
            context.Token = token[0];
        }

        return Task.CompletedTask;
    }
}
