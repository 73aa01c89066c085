using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TaskEvents.ApiBench;

/// <summary>
/// A per-run HS256 key for the Api under test and a bearer token signed with it (tenant <c>bench</c>,
/// both scopes), so the benchmark pays the same token validation as production traffic.
/// </summary>
internal sealed class BenchToken
{
    public const string Issuer = "taskevents-bench";
    public const string Audience = "taskevents";

    public string SigningKey { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The Api's <c>Auth</c> settings that make it accept <see cref="Create"/>'s tokens.</summary>
    public IReadOnlyDictionary<string, string> ApiSettings => new Dictionary<string, string>
    {
        ["Auth:SigningKey"] = SigningKey,
        ["Auth:Issuer"] = Issuer,
        ["Auth:Audience"] = Audience,
    };

    public string Create()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new
        {
            sub = "bench",
            tenant = "bench",
            scope = "events:read events:write",
            iss = Issuer,
            aud = Audience,
            iat = now,
            nbf = now - 60,
            exp = now + 3600,
        }));
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
