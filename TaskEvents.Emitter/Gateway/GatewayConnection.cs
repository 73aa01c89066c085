using TaskEvents.Client;

namespace TaskEvents.Emitter.Gateway;

/// <summary>A client for the resolved gateway with the chosen credentials (none, a fixed token, or dev tokens).</summary>
internal sealed class GatewayConnection : IDisposable
{
    private readonly HttpClient _tokenHttp = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly DevTokenProvider? _devTokens;

    public GatewayConnection(GatewaySettings settings, TimeSpan? keepaliveInterval = null)
    {
        if (settings.Token is not null && settings.UseDevToken)
        {
            throw new Cli.UsageException("use either --token or --dev-token, not both");
        }

        Address = GatewayAddress.Resolve(settings.Gateway, Environment.GetEnvironmentVariable);
        var options = new TaskEventsClientOptions { BaseAddress = Address };
        if (keepaliveInterval is { } keepalive)
        {
            options.KeepaliveInterval = keepalive;
        }

        if (settings.Token is { } token)
        {
            options.AccessTokenProvider = (_, _) => ValueTask.FromResult<string?>(token);
        }
        else if (settings.UseDevToken)
        {
            _devTokens = new DevTokenProvider(_tokenHttp, Address, settings.Tenant);
            options.AccessTokenProvider = _devTokens.GetTokenAsync;
        }

        Client = TaskEventsClient.Create(options);
    }

    public Uri Address { get; }

    public TaskEventsClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        _devTokens?.Dispose();
        _tokenHttp.Dispose();
    }
}
