extern alias gateway;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaskEvents.Testing;

/// <summary>
/// A real TaskEvents.Gateway on Kestrel at a free loopback port, proxying to the given Api replicas
/// (as <c>services__api__http__&lt;i&gt;</c>), accepting <see cref="TestTokens"/>, with its logs captured.
/// </summary>
public sealed class GatewayHost : WebApplicationFactory<gateway::Program>
{
    private readonly IReadOnlyList<Uri> _apis;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly string _environment;

    private GatewayHost(IReadOnlyList<Uri> apis, IReadOnlyDictionary<string, string?> settings, string environment)
    {
        _apis = apis;
        _settings = settings;
        _environment = environment;
        UseKestrel(0);
    }

    public Uri BaseAddress { get; private set; } = null!;

    public CapturedLogs Logs { get; } = new();

    /// <summary>Starts a gateway in front of <paramref name="apis"/>; <paramref name="settings"/> override its appsettings.</summary>
    public static Task<GatewayHost> StartAsync(IEnumerable<Uri> apis, IReadOnlyDictionary<string, string?>? settings = null, string environment = "Testing")
    {
        var host = new GatewayHost([.. apis], settings ?? new Dictionary<string, string?>(), environment);
        try
        {
            host.StartServer();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        return Task.FromResult(host);
    }

    public static Task<GatewayHost> StartAsync(Uri api, IReadOnlyDictionary<string, string?>? settings = null) => StartAsync([api], settings);

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
        var apis = _apis.Select((uri, i) => new KeyValuePair<string, string?>($"services:api:http:{i}", uri.ToString().TrimEnd('/')));
        foreach (var (key, value) in TestTokens.Settings.Concat(apis).Concat(_settings))
        {
            builder.UseSetting(key, value);
        }
    }
}
