namespace TaskEvents.Emitter.Gateway;

/// <summary>Where the gateway is: <c>--gateway</c>, else the Aspire service-discovery variable, else the local default.</summary>
internal static class GatewayAddress
{
    public const string ServiceDiscoveryVariable = "services__gateway__http__0";
    public const string LocalDefault = "http://localhost:8000";

    public static Uri Resolve(string? option, Func<string, string?> environment)
    {
        var text = !string.IsNullOrWhiteSpace(option) ? option
            : environment(ServiceDiscoveryVariable) is { Length: > 0 } discovered ? discovered
            : LocalDefault;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            throw new Cli.UsageException($"the gateway address '{text}' is not an http(s) URL");
        }

        return address;
    }
}
