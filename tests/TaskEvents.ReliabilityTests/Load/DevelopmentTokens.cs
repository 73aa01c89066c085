using TaskEvents.ServiceDefaults.Authentication;

namespace TaskEvents.ReliabilityTests.Load;

/// <summary>Tokens that the AppHost's services accept: they run in Development, so they take <see cref="DevelopmentAuth"/>.</summary>
internal static class DevelopmentTokens
{
    public static string Create() => TestTokens.Create(issuer: DevelopmentAuth.Issuer, signingKey: DevelopmentAuth.SigningKey);
}
