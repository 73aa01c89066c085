using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TaskEvents.ServiceDefaults.Authentication;

namespace TaskEvents.UnitTests.ServiceDefaults.Authentication;

/// <summary>
/// The remembered validations: how often a token is validated in full (counted by the issuer check, which runs in every
/// full validation after the signature) and that nothing is served that a full validation would refuse.
/// </summary>
public sealed class CachingTokenHandlerTests : IDisposable
{
    private const string Issuer = "taskevents-tests";
    private const string Audience = "taskevents";
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes("caching-token-handler-tests-key-0123456789"));
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CachingTokenHandler _handler;
    private int _fullValidations;

    public CachingTokenHandlerTests() => _handler = new CachingTokenHandler(maxTokens: 100, maxAge: TimeSpan.FromMinutes(5), _time);

    public void Dispose() => _handler.Dispose();

    [Fact]
    public async Task A_token_used_again_is_validated_in_full_twice_then_served_remembered()
    {
        var token = Token(expires: _time.GetUtcNow().AddHours(1));

        for (var use = 0; use < 5; use++)
        {
            var result = await _handler.ValidateTokenAsync(token, Parameters());
            Assert.True(result.IsValid);
            Assert.Equal("acme", result.ClaimsIdentity.FindFirst(TokenClaims.Tenant)?.Value);
            Assert.NotNull(result.SecurityToken);
        }

        Assert.Equal(2, _fullValidations);
    }

    [Fact]
    public async Task Each_use_gets_its_own_identity()
    {
        var token = await RememberedTokenAsync();

        var first = await _handler.ValidateTokenAsync(token, Parameters());
        first.ClaimsIdentity.AddClaim(new Claim("added", "by one request"));
        var second = await _handler.ValidateTokenAsync(token, Parameters());

        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Null(second.ClaimsIdentity.FindFirst("added"));
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_it_expires()
    {
        var expires = _time.GetUtcNow().AddMinutes(2);
        var token = Token(expires);
        await _handler.ValidateTokenAsync(token, Parameters());
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters())).IsValid);

        _time.SetUtcNow(expires + Skew + TimeSpan.FromSeconds(1));
        var afterExpiry = await _handler.ValidateTokenAsync(token, Parameters());

        Assert.False(afterExpiry.IsValid);
    }

    [Fact]
    public async Task A_remembered_token_is_validated_again_after_the_longest_age()
    {
        var token = await RememberedTokenAsync();

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        Assert.True((await _handler.ValidateTokenAsync(token, Parameters())).IsValid);

        Assert.Equal(3, _fullValidations);
    }

    [Fact]
    public async Task Another_text_is_validated_in_full_and_a_forged_one_refused()
    {
        var token = await RememberedTokenAsync();
        var parts = token.Split('.');
        var forgedPayload = Base64UrlEncoder.Encode(Base64UrlEncoder.Decode(parts[1]).Replace("acme", "evil"));
        var forged = string.Join('.', parts[0], forgedPayload, parts[2]);

        for (var use = 0; use < 3; use++)
        {
            Assert.False((await _handler.ValidateTokenAsync(forged, Parameters())).IsValid);
        }

        Assert.True((await _handler.ValidateTokenAsync(token, Parameters())).IsValid);
    }

    [Fact]
    public async Task A_refused_token_is_never_remembered()
    {
        var wrongIssuer = Token(expires: _time.GetUtcNow().AddHours(1), issuer: "someone-else");

        for (var use = 0; use < 3; use++)
        {
            Assert.False((await _handler.ValidateTokenAsync(wrongIssuer, Parameters())).IsValid);
        }

        Assert.Equal(3, _fullValidations);
    }

    /// <summary>A token valid for an hour, validated twice: remembered from now on.</summary>
    private async Task<string> RememberedTokenAsync()
    {
        var token = Token(expires: _time.GetUtcNow().AddHours(1));
        await _handler.ValidateTokenAsync(token, Parameters());
        await _handler.ValidateTokenAsync(token, Parameters());
        return token;
    }

    private TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = Key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
        ClockSkew = Skew,
        // The lifetime by the test's clock, as the cache reads it.
        LifetimeValidator = (notBefore, expires, _, _) => expires + Skew > _time.GetUtcNow().UtcDateTime,
        IssuerValidator = (issuer, _, _) =>
        {
            Interlocked.Increment(ref _fullValidations);
            return issuer == Issuer ? issuer : throw new SecurityTokenInvalidIssuerException("unexpected issuer");
        },
    };

    private string Token(DateTimeOffset expires, string issuer = Issuer) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = issuer,
        Audience = Audience,
        Claims = new Dictionary<string, object> { [TokenClaims.Subject] = "client-1", [TokenClaims.Tenant] = "acme" },
        NotBefore = _time.GetUtcNow().UtcDateTime.AddMinutes(-1),
        IssuedAt = _time.GetUtcNow().UtcDateTime.AddMinutes(-1),
        Expires = expires.UtcDateTime,
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
    });
}
