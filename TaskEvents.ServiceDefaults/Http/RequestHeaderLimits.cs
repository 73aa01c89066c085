using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TaskEvents.ServiceDefaults.Http;

/// <summary>
/// How many request headers, and how large, each service accepts. The gateway takes Kestrel's defaults from clients; the
/// Api, behind it, accepts more, because a request the gateway let through arrives with the proxy's own headers added
/// (X-Forwarded-*, traceparent). An Api with the same limits refused such requests and the client got a 502.
/// </summary>
public static class RequestHeaderLimits
{
    /// <summary>What a client may send the gateway: Kestrel's defaults, stated.</summary>
    public const int ClientHeaderCount = 100;

    public const int ClientHeadersTotalBytes = 32 * 1024;

    /// <summary>Room for what the gateway adds to a forwarded request.</summary>
    private const int ProxyHeaderCount = 20;

    private const int ProxyHeadersBytes = 8 * 1024;

    /// <summary>The gateway: clients get Kestrel's defaults, named here so the Api's limits can stay above them.</summary>
    public static IHostApplicationBuilder AcceptClientRequestHeaders(this IHostApplicationBuilder builder) =>
        Configure(builder, ClientHeaderCount, ClientHeadersTotalBytes);

    /// <summary>The Api: everything the gateway may forward, over HTTP/1.1 or HTTP/2.</summary>
    public static IHostApplicationBuilder AcceptForwardedRequestHeaders(this IHostApplicationBuilder builder) =>
        Configure(builder, ClientHeaderCount + ProxyHeaderCount, ClientHeadersTotalBytes + ProxyHeadersBytes);

    private static IHostApplicationBuilder Configure(IHostApplicationBuilder builder, int count, int totalBytes)
    {
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.MaxRequestHeaderCount = count;
            kestrel.Limits.MaxRequestHeadersTotalSize = totalBytes;
        });
        return builder;
    }
}
