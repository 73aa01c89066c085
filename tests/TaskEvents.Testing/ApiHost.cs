using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace TaskEvents.Testing;

/// <summary>
/// A real TaskEvents.Api on Kestrel at a free loopback port, against the given database.
/// Several hosts on one database behave as several Api processes: each has its own LISTEN connection and tails.
/// </summary>
public sealed class ApiHost : WebApplicationFactory<Program>
{
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    private ApiHost(string connectionString, IReadOnlyDictionary<string, string?> settings)
    {
        _connectionString = connectionString;
        _settings = settings;
        UseKestrel(0);
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts an Api on <paramref name="connectionString"/>, or on a fresh database when null.</summary>
    public static async Task<ApiHost> StartAsync(string? connectionString = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var host = new ApiHost(connectionString ?? await SharedPostgres.CreateDatabaseAsync(), settings ?? new Dictionary<string, string?>());
        host.StartServer();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        return host;
    }

    public string ConnectionString => _connectionString;

    /// <summary>A plain HttpClient over real sockets, with no timeout so it can hold streams open.</summary>
    public HttpClient CreateHttpClient() => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = BaseAddress,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public T GetService<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:taskevents", _connectionString);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
