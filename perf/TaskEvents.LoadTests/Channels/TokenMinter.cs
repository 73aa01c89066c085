using TaskEvents.ServiceDefaults.Authentication;
using TaskEvents.Testing;

namespace TaskEvents.LoadTests.Channels;

/// <summary>
/// Bearer tokens for the target's issuer, audience and key, so every subscriber and publisher can be its own client
/// (<c>sub</c>) under the gateway's per-client limits without a round trip per token. Signed by the tests'
/// <see cref="TestTokens"/>, the one token-minting implementation.
/// </summary>
internal sealed class TokenMinter(string issuer, string audience, string signingKey, string tenant)
{
    /// <summary>The Development settings of the gateway and the Api (ServiceDefaults' <see cref="DevelopmentAuth"/>).</summary>
    public const string DevelopmentIssuer = DevelopmentAuth.Issuer;
    public const string DevelopmentSigningKey = DevelopmentAuth.SigningKey;
    public const string DefaultAudience = "taskevents";

    /// <summary>A token with both scopes, valid for 12 hours (longer than any run).</summary>
    public string Create(string subject) => TestTokens.Create(
        tenant, TestTokens.BothScopes, subject, expires: DateTime.UtcNow.AddHours(12), issuer: issuer, audience: audience, signingKey: signingKey);
}
