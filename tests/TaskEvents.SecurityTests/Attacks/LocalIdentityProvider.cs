using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaskEvents.SecurityTests.Attacks;

/// <summary>
/// A minimal OIDC issuer on a free loopback port: a discovery document and a JWKS with one RSA key, so the services
/// can run in their production mode (<c>Auth:Authority</c>, RS256) and be attacked there.
/// </summary>
public sealed class LocalIdentityProvider : IAsyncDisposable
{
    public const string KeyId = "test-rs256-key";

    private readonly WebApplication _app;

    private LocalIdentityProvider(WebApplication app, Uri authority, RSA key)
    {
        _app = app;
        Authority = authority;
        Key = key;
    }

    public Uri Authority { get; }

    /// <summary>The signing key; its public half is what the JWKS publishes.</summary>
    public RSA Key { get; }

    public string Issuer => Authority.ToString().TrimEnd('/');

    /// <summary>The <c>Auth</c> settings that make a service trust this issuer instead of the shared HS256 key.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:SigningKey"] = "",
        ["Auth:Authority"] = Issuer,
        ["Auth:Issuer"] = Issuer,
        ["Auth:RequireHttpsMetadata"] = "false",
    };

    public static async Task<LocalIdentityProvider> StartAsync()
    {
        var key = RSA.Create(2048);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        string? issuer = null;
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer!,
            ["jwks_uri"] = $"{issuer}/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/jwks", () => Results.Json(new { keys = new[] { ForgedTokens.PublicJwk(key, KeyId) } }));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer = address.TrimEnd('/');
        return new LocalIdentityProvider(app, new Uri(address), key);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Key.Dispose();
    }
}
