using System.CommandLine;
using TaskEvents.Emitter.Gateway;

namespace TaskEvents.Emitter.Cli;

/// <summary>The options every command shares: where the gateway is and how to authenticate.</summary>
internal sealed class GatewayOptions
{
    public Option<string?> Gateway { get; } = new("--gateway")
    {
        Description = $"Gateway URL (default: ${GatewayAddress.ServiceDiscoveryVariable}, else {GatewayAddress.LocalDefault})",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "Bearer token to send",
        Recursive = true,
    };

    public Option<bool> DevToken { get; } = new("--dev-token")
    {
        Description = "Get a token from the gateway's POST /auth/dev-token (development only)",
        Recursive = true,
    };

    public Option<string> Tenant { get; } = new("--tenant")
    {
        Description = "Tenant to ask a dev token for",
        DefaultValueFactory = _ => "default",
        Recursive = true,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Gateway);
        command.Options.Add(Token);
        command.Options.Add(DevToken);
        command.Options.Add(Tenant);
    }

    public GatewaySettings Read(ParseResult result) =>
        new(result.GetValue(Gateway), result.GetValue(Token), result.GetValue(DevToken), result.GetValue(Tenant) ?? "default");
}
