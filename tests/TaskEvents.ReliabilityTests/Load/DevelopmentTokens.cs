using System.Text.Json;
using TaskEvents.SystemTesting;
using TaskEvents.Testing;

namespace TaskEvents.ReliabilityTests.Load;

/// <summary>
/// Tokens that the AppHost's services accept: they run in Development, so they are signed with the issuer and key of
/// the Api's <c>appsettings.Development.json</c>, read from there rather than spelled again here.
/// </summary>
internal static class DevelopmentTokens
{
    private static readonly Lazy<(string Issuer, string SigningKey)> Auth = new(() =>
    {
        var settings = Path.Combine(LinuxProcesses.RepositoryRoot(), "TaskEvents.Api", "appsettings.Development.json");
        var auth = JsonElement.Parse(File.ReadAllText(settings)).GetProperty("Auth");
        return (auth.GetProperty("Issuer").GetString()!, auth.GetProperty("SigningKey").GetString()!);
    });

    public static string Create() => TestTokens.Create(issuer: Auth.Value.Issuer, signingKey: Auth.Value.SigningKey);
}
