namespace TaskEvents.SecurityTests.Attacks;

/// <summary>
/// One Api on a fresh database behind one gateway (dev tokens on, one allowed CORS origin), both logging everything
/// and capturing it, with a task in tenant <see cref="Victim"/> for the other tenants to go after.
/// </summary>
public sealed class AttackEnvironment : IAsyncLifetime
{
    public const string Victim = "victim-tenant";
    public const string Attacker = "attacker-tenant";
    public const string VictimTask = "victim-task";
    public const string AllowedOrigin = "https://app.example.com";

    public ApiHost Api { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public IEnumerable<(string Surface, Uri Address)> Surfaces => [("gateway", Gateway.BaseAddress), ("api", Api.BaseAddress)];

    public async Task InitializeAsync()
    {
        var verbose = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Yarp"] = "Trace",
            ["Logging:LogLevel:Npgsql"] = "Warning",
            // Everything goes to the captured logs; the console (the test run's output) stays at its usual level.
            ["Logging:Console:LogLevel:Default"] = "Warning",
        };
        Api = await ApiHost.StartAsync(settings: verbose);
        Gateway = await GatewayHost.StartAsync([Api], new Dictionary<string, string?>(verbose)
        {
            ["DevTokens:Enabled"] = "true",
            ["Cors:AllowedOrigins:0"] = AllowedOrigin,
            ["RateLimits:RequestsPerSecond"] = "100000",
            ["RateLimits:Burst"] = "100000",
        });

        using var victim = Api.CreateHttpClient(TestTokens.Create(tenant: Victim));
        await victim.CreateTaskAsync(VictimTask);
        await victim.AppendAsync(VictimTask, "step", "step", "step");
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Api.DisposeAsync();
    }

    public HttpClient Client(string surface, string? token) =>
        TestHttpClient.Create(surface == "gateway" ? Gateway.BaseAddress : Api.BaseAddress, token);
}
