namespace TaskEvents.ServiceDefaults.Authentication;

/// <summary>
/// The <c>Auth</c> settings every service takes in Development (under the AppHost, <c>dotnet run</c>): one issuer and one
/// HS256 key, defined here only. Tools and tests that mint tokens for a Development system read these constants.
/// </summary>
public static class DevelopmentAuth
{
    public const string Issuer = "taskevents-dev";

    /// <summary>Public by design: it signs the dev tokens anyone can get from the gateway. Never used outside Development.</summary>
    public const string SigningKey = "taskevents-development-signing-key-not-for-production";

    /// <summary>The settings as configuration keys, the weakest source: anything configured (even empty) wins.</summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        [$"{AuthOptions.SectionName}:{nameof(AuthOptions.Issuer)}"] = Issuer,
        [$"{AuthOptions.SectionName}:{nameof(AuthOptions.SigningKey)}"] = SigningKey,
    };
}
