namespace TaskEvents.Gateway.Tests;

/// <summary>One Api on a fresh database behind one gateway with the default settings (plus one allowed CORS origin).</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string AllowedOrigin = "https://app.example.com";

    public ApiHost Api { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Api = await ApiHost.StartAsync();
        Gateway = await GatewayHost.StartAsync(Api, new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = AllowedOrigin });
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Api.DisposeAsync();
    }
}
