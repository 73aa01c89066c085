using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace TaskEvents.SecurityTests.Attacks;

/// <summary>
/// Tokens written by hand, header and all, so every field an attacker controls can be set: the algorithm, the key id,
/// an embedded key, the claims, and a signature made with whatever key the attack needs.
/// </summary>
public static class ForgedTokens
{
    /// <summary>The claims of a valid test token for <paramref name="tenant"/>, as a JSON object to change.</summary>
    public static Dictionary<string, object> Claims(string tenant = TestTokens.DefaultTenant, string scope = TestTokens.BothScopes, string issuer = TestTokens.Issuer)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["aud"] = TestTokens.Audience,
            ["sub"] = "attacker",
            ["tenant"] = tenant,
            ["scope"] = scope,
            ["iat"] = now - 60,
            ["nbf"] = now - 60,
            ["exp"] = now + 3600,
        };
    }

    /// <summary>An HMAC-signed token: <paramref name="algorithm"/> HS256/HS384/HS512 over <paramref name="key"/>.</summary>
    public static string Hmac(string algorithm, byte[] key, IDictionary<string, object> claims, IDictionary<string, object>? extraHeader = null)
    {
        var input = SigningInput(algorithm, claims, extraHeader);
        var data = Encoding.ASCII.GetBytes(input);
        var signature = algorithm switch
        {
            "HS256" => HMACSHA256.HashData(key, data),
            "HS384" => HMACSHA384.HashData(key, data),
            "HS512" => HMACSHA512.HashData(key, data),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
        };
        return $"{input}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary>An RS256-signed token with <paramref name="key"/>'s private half.</summary>
    public static string Rsa(RSA key, IDictionary<string, object> claims, IDictionary<string, object>? extraHeader = null)
    {
        var input = SigningInput("RS256", claims, extraHeader);
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{input}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary>No signature at all.</summary>
    public static string Unsigned(IDictionary<string, object> claims, string algorithm = "none") => $"{SigningInput(algorithm, claims, null)}.";

    /// <summary>The public half of <paramref name="key"/> as a JWK, the way a JWKS serves it.</summary>
    public static Dictionary<string, object> PublicJwk(RSA key, string keyId)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, object>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = keyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    private static string SigningInput(string algorithm, IDictionary<string, object> claims, IDictionary<string, object>? extraHeader)
    {
        var header = new Dictionary<string, object> { ["alg"] = algorithm, ["typ"] = "JWT" };
        foreach (var (name, value) in extraHeader ?? new Dictionary<string, object>())
        {
            header[name] = value;
        }

        return $"{Encode(header)}.{Encode(claims)}";
    }

    private static string Encode(object value) => Base64UrlEncoder.Encode(JsonSerializer.Serialize(value));
}
