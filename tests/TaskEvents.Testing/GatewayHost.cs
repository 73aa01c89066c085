extern alias gateway;

using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaskEvents.Testing;

/// <summary>
/// A real TaskEvents.Gateway on Kestrel at a free loopback port, proxying to the given Api replicas
/// (their h2c addresses, as <c>services__api__h2c__&lt;i&gt;</c>), accepting <see cref="TestTokens"/>, with its logs captured.
/// </summary>
public sealed class GatewayHost : WebApplicationFactory<gateway::Program>
{
    private readonly IReadOnlyList<IApiReplica> _apis;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly string _environment;

    private GatewayHost(IReadOnlyList<IApiReplica> apis, IReadOnlyDictionary<string, string?> settings, string environment, X509Certificate2? httpsCertificate, int port)
    {
        _apis = apis;
        _settings = settings;
        _environment = environment;
        if (httpsCertificate is null)
        {
            UseKestrel(port);
        }
        else
        {
            UseKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, 0);
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(httpsCertificate));
            });
        }
    }

    /// <summary>The plain HTTP address.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The HTTPS address, when started with a certificate.</summary>
    public Uri? HttpsAddress { get; private set; }

    public CapturedLogs Logs { get; } = new();

    /// <summary>
    /// Starts a gateway in front of <paramref name="apis"/>; <paramref name="settings"/> override its appsettings.
    /// With <paramref name="httpsCertificate"/> it also listens on HTTPS. <paramref name="port"/> 0 picks a free one; a
    /// given one lets a test start a gateway again where clients knew the previous one.
    /// </summary>
    public static Task<GatewayHost> StartAsync(
        IEnumerable<IApiReplica> apis, IReadOnlyDictionary<string, string?>? settings = null, string environment = "Testing", X509Certificate2? httpsCertificate = null, int port = 0)
    {
        var host = new GatewayHost([.. apis], settings ?? new Dictionary<string, string?>(), environment, httpsCertificate, port);
        try
        {
            host.StartServer();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)))
            .ToList();
        host.BaseAddress = addresses.First(a => a.Scheme == Uri.UriSchemeHttp);
        host.HttpsAddress = addresses.FirstOrDefault(a => a.Scheme == Uri.UriSchemeHttps);
        return Task.FromResult(host);
    }

    public static Task<GatewayHost> StartAsync(IApiReplica api, IReadOnlyDictionary<string, string?>? settings = null) => StartAsync([api], settings);

    /// <summary>
    /// <paramref name="settings"/> with the gateway's stream fan-out off: every stream proxied to an Api replica on its
    /// own, the path a subscriber takes when its resume point is not in a shared stream. For tests of that path.
    /// </summary>
    public static Dictionary<string, string?> ProxyingEveryStream(IReadOnlyDictionary<string, string?>? settings = null) =>
        new(settings ?? new Dictionary<string, string?>()) { ["StreamFanOut:Enabled"] = "false" };

    /// <summary>A client acting for tenant <c>default</c> with both scopes.</summary>
    public HttpClient CreateHttpClient() => CreateHttpClient(TestTokens.Create());

    /// <summary>A client sending <paramref name="accessToken"/>, or no token when null.</summary>
    public HttpClient CreateHttpClient(string? accessToken) => TestHttpClient.Create(BaseAddress, accessToken);

    public T GetService<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        var apis = _apis.Select((api, i) => new KeyValuePair<string, string?>($"services:api:h2c:{i}", api.H2cAddress.ToString().TrimEnd('/')));
        foreach (var (key, value) in TestTokens.Settings.Concat(apis).Concat(_settings))
        {
            builder.UseSetting(key, value);
        }
    }
}
