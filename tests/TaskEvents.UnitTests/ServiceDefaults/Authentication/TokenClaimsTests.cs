using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TaskEvents.ServiceDefaults.Authentication;

namespace TaskEvents.UnitTests.ServiceDefaults.Authentication;

public sealed class TokenClaimsTests
{
    private static ClaimsPrincipal Validated(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value, ClaimValueTypes.String, "issuer")), "AuthenticationTypes.Federation", "sub", "role"));

    [Fact]
    public void Keeps_only_subject_tenant_scopes_and_expiry()
    {
        var validated = Validated(
            ("sub", "client-1"), ("tenant", "acme"), ("scope", "events:read events:write"), ("scp", "events:read"), ("exp", "1893456000"),
            ("iss", "taskevents"), ("aud", "taskevents"), ("jti", "abc"), ("iat", "1700000000"), ("name", "Someone"));

        var kept = TokenClaims.KeepOnlyReadClaims(validated);

        Assert.Equal(
            [("sub", "client-1"), ("tenant", "acme"), ("scope", "events:read events:write"), ("scp", "events:read"), ("exp", "1893456000")],
            kept.Claims.Select(c => (c.Type, c.Value)));
        Assert.Equal("acme", TokenClaims.TenantOf(kept));
        Assert.Equal("client-1", TokenClaims.SubjectOf(kept));
        Assert.True(TokenClaims.HasScope(kept, EventScopes.Write));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1893456000), TokenClaims.ExpiresAt(kept));
    }

    [Fact]
    public void Stays_authenticated_with_the_subject_as_its_name()
    {
        var kept = TokenClaims.KeepOnlyReadClaims(Validated(("sub", "client-1"), ("tenant", "acme")));

        Assert.True(kept.Identity?.IsAuthenticated);
        Assert.Equal("AuthenticationTypes.Federation", kept.Identity?.AuthenticationType);
        Assert.Equal("client-1", kept.Identity?.Name);
    }

    [Fact]
    public void Holds_nothing_of_the_validated_identity()
    {
        var validated = Validated(("sub", "client-1"), ("tenant", "acme"));
        validated.Claims.First().Properties["bag"] = "kept alive by the claim";

        var kept = TokenClaims.KeepOnlyReadClaims(validated);

        Assert.All(kept.Claims, claim =>
        {
            Assert.Same(kept.Identity, claim.Subject);
            Assert.Empty(claim.Properties);
        });
    }

    [Fact]
    public void Two_tenants_stay_two_and_name_no_tenant()
    {
        var kept = TokenClaims.KeepOnlyReadClaims(Validated(("sub", "client-1"), ("tenant", "acme"), ("tenant", "other")));

        Assert.Equal(2, kept.FindAll("tenant").Count());
        Assert.Null(TokenClaims.TenantOf(kept));
    }

    [Fact]
    public async Task A_request_authenticated_by_JwtBearer_carries_only_the_claims_read_here()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:Audience"] = "taskevents" });
        builder.Services.AddLogging();
        builder.AddDefaultAuthentication();
        await using var services = builder.Services.BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Headers.Authorization = $"Bearer {DevelopmentToken()}";

        var result = await context.AuthenticateAsync();

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal(["exp", "scope", "sub", "tenant"], result.Principal.Claims.Select(c => c.Type).Order());
        Assert.Equal("client-1", result.Principal.Identity?.Name);
    }

    private static string DevelopmentToken() => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = DevelopmentAuth.Issuer,
        Audience = "taskevents",
        NotBefore = DateTime.UtcNow.AddMinutes(-1),
        Expires = DateTime.UtcNow.AddHours(1),
        Claims = new Dictionary<string, object> { ["sub"] = "client-1", ["tenant"] = "acme", ["scope"] = "events:read", ["jti"] = "token-1" },
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(DevelopmentAuth.SigningKey)), SecurityAlgorithms.HmacSha256),
    });
}
