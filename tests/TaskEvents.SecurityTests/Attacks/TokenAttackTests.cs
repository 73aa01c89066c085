using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace TaskEvents.SecurityTests.Attacks;

/// <summary>
/// Forged tokens against the gateway and the Api, in both auth modes: the shared HS256 key (development, tests) and an
/// OIDC issuer with RS256 keys (production). Only the control token gets in; everything else is 401 problem+json
/// (431 or 414 when it is too big to be a request at all). Expired, not-yet-valid, wrong-key, wrong issuer and audience,
/// unsigned and tenant-tampered tokens are already refused in Gateway.Tests' AuthenticationTests (cited in the table).
/// </summary>
public sealed class TokenAttackTests(AttackEnvironment environment) : IClassFixture<AttackEnvironment>, IDisposable
{
    private const string Test = nameof(TokenAttackTests);
    private static readonly byte[] SharedKey = Encoding.UTF8.GetBytes(TestTokens.SigningKey);

    [Fact]
    public async Task Forged_and_confused_tokens_are_refused_with_the_shared_key()
    {
        using var attackerKey = RSA.Create(2048);
        var claims = ForgedTokens.Claims();
        var cases = new (string Attack, string Token)[]
        {
            ("RS256 signed with the attacker's own RSA key", ForgedTokens.Rsa(attackerKey, claims)),
            ("RS256 with the attacker's public key embedded (jwk header)", ForgedTokens.Rsa(attackerKey, claims,
                new Dictionary<string, object> { ["jwk"] = ForgedTokens.PublicJwk(attackerKey, "attacker") })),
            ("HS256 with the attacker's own key embedded (jwk kty oct)", ForgedTokens.Hmac("HS256", Encoding.UTF8.GetBytes("attacker-key-attacker-key-attacker-key!!"), claims,
                new Dictionary<string, object> { ["jwk"] = new Dictionary<string, object> { ["kty"] = "oct", ["k"] = Base64UrlEncoder.Encode("attacker-key-attacker-key-attacker-key!!") } })),
            ("HS384 with the real key (algorithm not pinned?)", ForgedTokens.Hmac("HS384", SharedKey, claims)),
            ("HS512 with the real key (algorithm not pinned?)", ForgedTokens.Hmac("HS512", SharedKey, claims)),
            ("kid path traversal (../../dev/null) with an empty key", ForgedTokens.Hmac("HS256", [], claims, new Dictionary<string, object> { ["kid"] = "../../../../dev/null" })),
            ("alg: None (mixed case)", ForgedTokens.Unsigned(claims, "None")),
            ("alg: nOnE with a signature", ForgedTokens.Unsigned(claims, "nOnE") + "c2ln"),
            ("signature stripped from a valid token", string.Join('.', TestTokens.Create().Split('.')[..2]) + "."),
            ("scope tampered, read to write (signature kept)", Retamper(TestTokens.Create(scope: "events:read"), "scope", "events:read events:write")),
            ("exp tampered on an expired token (signature kept)", Retamper(TestTokens.Expired(), "exp", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds())),
            ("oversized: 20 KiB of garbage", new string('A', 20 * 1024)),
            ("oversized: 20 KiB token, validly signed (junk claims): treated like any token, no error", ForgedTokens.Hmac("HS256", SharedKey, WithJunk(claims, 20 * 1024))),
        };

        foreach (var (surface, _) in environment.Surfaces)
        {
            await ExpectAcceptedAsync(surface, ForgedTokens.Hmac("HS256", SharedKey, claims), "control: HS256 signed with the shared key, hand-written");
            foreach (var (attack, token) in cases)
            {
                var refused = attack.StartsWith("oversized: 20 KiB token, validly", StringComparison.Ordinal) ? (HttpStatusCode?)null : HttpStatusCode.Unauthorized;
                await ExpectAsync("Tokens", attack, surface, token, refused);
            }

            // Past Kestrel's 32 KiB header limit: refused before anyone reads it.
            await ExpectAsync("Tokens", "oversized: 40 KiB bearer token", surface, new string('A', 40 * 1024), HttpStatusCode.RequestHeaderFieldsTooLarge);
            await ExpectAsync("Tokens", "oversized: 40 KiB token with a valid signature", surface,
                ForgedTokens.Hmac("HS256", SharedKey, WithJunk(claims, 40 * 1024)), HttpStatusCode.RequestHeaderFieldsTooLarge);
        }

        // In the stream URL (EventSource's ?access_token=): past the request-line limit.
        using var anonymous = environment.Client("gateway", null);
        using var huge = await anonymous.GetAsync($"/sse/tasks/probe/events?access_token={new string('A', 10 * 1024)}");
        Record("oversized: 10 KiB ?access_token= on a stream", "gateway", "414", huge.StatusCode);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, huge.StatusCode);
    }

    [Fact]
    public async Task Hs_rs_confusion_and_forged_keys_are_refused_with_an_oidc_issuer()
    {
        await using var issuer = await LocalIdentityProvider.StartAsync();
        await using var api = await ApiHost.StartAsync(settings: issuer.Settings);
        await using var gateway = await GatewayHost.StartAsync([api], issuer.Settings);
        using var attackerKey = RSA.Create(2048);
        var claims = ForgedTokens.Claims(issuer: issuer.Issuer);
        var kid = new Dictionary<string, object> { ["kid"] = LocalIdentityProvider.KeyId };
        var publicKey = issuer.Key.ExportParameters(false);
        var cases = new (string Attack, string Token)[]
        {
            ("HS/RS confusion: HS256 keyed with the issuer's public key (PEM)", ForgedTokens.Hmac("HS256", Encoding.ASCII.GetBytes(issuer.Key.ExportSubjectPublicKeyInfoPem()), claims, kid)),
            ("HS/RS confusion: HS256 keyed with the issuer's public key (DER)", ForgedTokens.Hmac("HS256", issuer.Key.ExportSubjectPublicKeyInfo(), claims, kid)),
            ("HS/RS confusion: HS256 keyed with the public modulus", ForgedTokens.Hmac("HS256", publicKey.Modulus!, claims, kid)),
            ("HS/RS confusion: HS256 keyed with the published JWK text", ForgedTokens.Hmac("HS256",
                Encoding.UTF8.GetBytes(JsonSerializer.Serialize(ForgedTokens.PublicJwk(issuer.Key, LocalIdentityProvider.KeyId))), claims, kid)),
            ("RS256 by a forged key claiming the issuer's kid", ForgedTokens.Rsa(attackerKey, claims, kid)),
            ("RS256 with the attacker's key embedded (jwk header)", ForgedTokens.Rsa(attackerKey, claims,
                new Dictionary<string, object> { ["jwk"] = ForgedTokens.PublicJwk(attackerKey, LocalIdentityProvider.KeyId) })),
            ("alg: none", ForgedTokens.Unsigned(claims)),
            ("RS256 by the issuer's key for another issuer", ForgedTokens.Rsa(issuer.Key, ForgedTokens.Claims(issuer: "https://evil.example.com"), kid)),
        };

        foreach (var (surface, address) in new[] { ("gateway (OIDC)", gateway.BaseAddress), ("api (OIDC)", api.BaseAddress) })
        {
            await ExpectAcceptedAsync(surface, ForgedTokens.Rsa(issuer.Key, claims, kid), "control: RS256 signed by the issuer", address);
            foreach (var (attack, token) in cases)
            {
                await ExpectAsync("Tokens", attack, surface, token, HttpStatusCode.Unauthorized, address);
            }
        }
    }

    public void Dispose()
    {
        AttackTable.Flush(Test);
        AttackTable.Write("existing-tokens", [
            new("Tokens", "none", "gateway, api", "401 problem", "401 problem", "Gateway.Tests: AuthenticationTests.The_gateway_refuses_a_bad_token_with_401_problem / The_api_refuses_a_bad_token_itself (none)"),
            new("Tokens", "expired", "gateway, api", "401 problem", "401 problem", "Gateway.Tests: AuthenticationTests (expired)"),
            new("Tokens", "not yet valid", "gateway, api", "401 problem", "401 problem", "Gateway.Tests: AuthenticationTests (not-yet-valid)"),
            new("Tokens", "forged key (HS256, another secret)", "gateway, api", "401 problem", "401 problem", "Gateway.Tests: AuthenticationTests (wrong-key)"),
            new("Tokens", "alg: none", "gateway, api", "401 problem", "401 problem", "Gateway.Tests: AuthenticationTests (alg-none)"),
            new("Tokens", "tampered claims: tenant swapped, signature kept", "gateway, api", "401 problem", "401 problem", "Gateway.Tests: AuthenticationTests (tampered)"),
            new("Tokens", "wrong issuer / wrong audience", "gateway, api", "401 problem", "401 problem", "Gateway.Tests: AuthenticationTests (wrong-issuer, wrong-audience)"),
            new("Tokens", "not a JWT", "gateway, api", "401 problem", "401 problem", "Gateway.Tests: AuthenticationTests (garbage)"),
            new("Tokens", "?access_token= on REST", "gateway", "401 problem (only streams take it)", "401 problem", "Gateway.Tests: QueryTokenTests.Rest_does_not_accept_a_query_token"),
        ]);
    }

    private async Task ExpectAcceptedAsync(string surface, string token, string attack, Uri? address = null)
    {
        using var client = TestHttpClient.Create(address ?? Address(surface), token);
        using var response = await client.GetAsync("/api/tasks/token-probe");
        Record(attack, surface, "passes authentication (404 for an unknown task)", response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>REST and stream both answer <paramref name="expected"/>; null means any 4xx but never a success.</summary>
    private async Task ExpectAsync(string category, string attack, string surface, string token, HttpStatusCode? expected, Uri? address = null)
    {
        using var client = TestHttpClient.Create(address ?? Address(surface), null);
        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "/api/tasks/token-probe", "/sse/tasks/token-probe/events" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        var observed = string.Join(", ", statuses.Distinct().Select(s => $"{(int)s}"));
        AttackTable.Record(Test, new(category, attack, surface, expected is { } e ? $"{(int)e} on REST and stream" : "4xx on REST and stream", observed, $"{Test}"));
        Assert.All(statuses, s => Assert.True(expected is { } e ? s == e : (int)s is >= 400 and < 500, $"{attack} on {surface}: {s}"));
    }

    private static void Record(string attack, string surface, string expected, HttpStatusCode observed) =>
        AttackTable.Record(Test, new("Tokens", attack, surface, expected, $"{(int)observed}", Test));

    private Uri Address(string surface) => surface == "gateway" ? environment.Gateway.BaseAddress : environment.Api.BaseAddress;

    /// <summary>Changes one claim of a signed token and keeps its signature.</summary>
    private static string Retamper(string token, string claim, object value)
    {
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, object>>(Base64UrlEncoder.Decode(parts[1]))!;
        payload[claim] = value;
        return $"{parts[0]}.{Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload))}.{parts[2]}";
    }

    private static Dictionary<string, object> WithJunk(Dictionary<string, object> claims, int bytes) =>
        new(claims) { ["junk"] = new string('j', bytes) };
}
