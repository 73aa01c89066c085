namespace TaskEvents.Emitter.Gateway;

/// <summary>The gateway options every command shares, as given on the command line.</summary>
internal sealed record GatewaySettings(string? Gateway, string? Token, bool UseDevToken, string Tenant);
