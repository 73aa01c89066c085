using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TaskEvents.Testing;

/// <summary>
/// A real TaskEvents.Api on Kestrel at a free loopback port, against the given database.
/// Several hosts on one database behave as several Api processes: each has its own LISTEN connection and tails.
/// It accepts <see cref="TestTokens"/>, records the requests it receives and captures its logs. Like a deployed replica
/// it has two endpoints: HTTP/1.1 for clients (<see cref="BaseAddress"/>) and HTTP/2 without TLS for the gateway
/// (<see cref="H2cAddress"/>).
/// </summary>
public sealed class ApiHost : WebApplicationFactory<Program>, IApiReplica
{
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private ListenOptions? _http;
    private ListenOptions? _h2c;

    private ApiHost(string connectionString, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services)
    {
        _connectionString = connectionString;
        _settings = settings;
        _services = services;
        UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => _http = listen);
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                _h2c = listen;
            });
        });
    }

    /// <summary>The HTTP/1.1 address clients use.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The HTTP/2-only (h2c) address the gateway uses.</summary>
    public Uri H2cAddress { get; private set; } = null!;

    /// <summary>
    /// Starts an Api on <paramref name="connectionString"/>, or on a fresh database when null; <paramref name="services"/>
    /// adds to its services (e.g. an exporter that keeps its spans).
    /// </summary>
    public static async Task<ApiHost> StartAsync(
        string? connectionString = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var host = new ApiHost(connectionString ?? await SharedPostgres.CreateDatabaseAsync(), settings ?? new Dictionary<string, string?>(), services);
        host.StartServer();
        host.BaseAddress = AddressOf(host._http!);
        host.H2cAddress = AddressOf(host._h2c!);
        return host;
    }

    public string ConnectionString => _connectionString;

    /// <summary>Every log entry the Api wrote at the levels its settings enable (Warning unless overridden).</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyCollection<ReceivedRequest> ReceivedRequests => _received;

    /// <summary>Drops the requests recorded so far, e.g. so thousands of fuzz inputs do not count as the Api's memory.</summary>
    public void ForgetReceivedRequests() => _received.Clear();

    /// <summary>A plain HttpClient over real sockets, with no timeout so it can hold streams open, acting for tenant <c>default</c> with both scopes.</summary>
    public HttpClient CreateHttpClient() => CreateHttpClient(TestTokens.Create());

    /// <summary>As <see cref="CreateHttpClient()"/>, sending <paramref name="accessToken"/> as its bearer token, or no token when null.</summary>
    public HttpClient CreateHttpClient(string? accessToken) => TestHttpClient.Create(BaseAddress, accessToken);

    public T GetService<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Kestrel writes the bound port back into the listen options once the server started.</summary>
    private static Uri AddressOf(ListenOptions listen) => new($"http://127.0.0.1:{listen.IPEndPoint!.Port}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:taskevents", _connectionString);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<IStartupFilter>(new RequestRecorder(_received));
            _services?.Invoke(services);
        });
        foreach (var (key, value) in TestTokens.Settings.Concat(_settings))
        {
            builder.UseSetting(key, value);
        }
    }
}
