using Microsoft.Extensions.Configuration;
using TaskEvents.AppHost.Configuration;

namespace TaskEvents.AppHost.Services;

/// <summary>How the AppHost runs the TaskEvents services: their environment, the Api's second endpoint, forwarded settings.</summary>
public static class ServiceResourceExtensions
{
    public const string H2cEndpointName = "h2c";

    /// <summary>How many arrays of a size the shared ArrayPool keeps per core (.NET reads it once, at the pool's first use).</summary>
    public const string UpstreamBufferPoolVariable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";

    public const string UpstreamBufferPoolArraysPerCore = "1024";

    /// <summary>
    /// The AppHost's environment name (Development gives the services the dev signing key and dev tokens), and URL query
    /// redaction left on in traces: Aspire turns it off for its dashboard, but a stream's URL may carry its access token.
    /// Without the dashboard (tests, the load harness) nothing receives telemetry, so none is exported: Aspire would point
    /// the exporter at a port where nothing listens, and the services would spend CPU failing to send every second.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceEnvironment(this IResourceBuilder<ProjectResource> builder)
    {
        var environment = builder.ApplicationBuilder.Environment.EnvironmentName;
        if (!DashboardChoice.IsEnabled(builder.ApplicationBuilder))
        {
            builder.WithEnvironment(context => context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT"));
        }

        return builder
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", environment)
            .WithEnvironment("DOTNET_ENVIRONMENT", environment)
            .WithEnvironment("OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION", "false")
            .WithEnvironment("OTEL_DOTNET_EXPERIMENTAL_HTTPCLIENT_DISABLE_URL_QUERY_REDACTION", "false");
    }

    /// <summary>
    /// .NET runtime settings for services that share the machine's cores with each other and with PostgreSQL, as every
    /// service the AppHost starts does: idle thread-pool workers block at once instead of spinning first (spinning only
    /// pays on cores nobody else wants), socket completions run on the socket's own thread instead of waking a
    /// thread-pool worker for each (every wake-up costs a context switch; the services never block in a continuation),
    /// and workstation GC instead of ASP.NET Core's server GC (a heap and a GC thread per core, with allocation budgets
    /// sized for cores of its own: 29 % more memory per idle stream here, for the same CPU at W1).
    /// Measured with W1 through the gateway on a 2-core machine (README, Figures: before and after). A deployment with
    /// cores of its own per service may not want them.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSharedCoreRuntimeSettings(this IResourceBuilder<ProjectResource> builder) =>
        builder
            .WithEnvironment("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit", "0")
            .WithEnvironment("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1")
            .WithEnvironment("DOTNET_gcServer", "0");

    /// <summary>
    /// The gateway relays every stream's frames from its HTTP/2 connections to the Api replicas, and .NET's HTTP/2 client
    /// takes a 16 KiB array from the shared <c>ArrayPool</c> for each frame that reaches a stream with nothing buffered,
    /// returning it once the frame is relayed. The pool keeps 32 arrays of a size per core by default, so with hundreds of
    /// streams receiving at once most returns became garbage: at W1 the gateway allocated 250 MB/s and spent 15 % of its time
    /// in GC pauses. With 1024 a core the pool covers a thousand streams' frames in flight; it only keeps arrays that were in
    /// use at once, and gives unused ones back on full collections. Measured in the README (Figures: the gateway's pool).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPooledUpstreamBuffers(this IResourceBuilder<ProjectResource> builder) =>
        builder.WithEnvironment(UpstreamBufferPoolVariable, UpstreamBufferPoolArraysPerCore);

    /// <summary>
    /// An <c>http</c> endpoint and an <c>h2c</c> one (HTTP/2 without TLS, prior knowledge), both without Aspire's proxy, so a
    /// proxy in front multiplexes many streams over one connection to each replica. Kestrel cannot offer h2c on an
    /// endpoint that also speaks HTTP/1.1, so both are declared to Kestrel by name instead of through ASPNETCORE_URLS.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithHttpAndH2cEndpoints(this IResourceBuilder<ProjectResource> builder)
    {
        builder.WithHttpEndpoint(isProxied: false).WithHttpEndpoint(name: H2cEndpointName, isProxied: false);
        var http = builder.GetEndpoint("http");
        var h2c = builder.GetEndpoint(H2cEndpointName);
        return builder.WithEnvironment(context =>
        {
            context.EnvironmentVariables.Remove("ASPNETCORE_URLS");
            context.EnvironmentVariables["Kestrel__Endpoints__http__Url"] = http.Property(EndpointProperty.Url);
            context.EnvironmentVariables[$"Kestrel__Endpoints__{H2cEndpointName}__Url"] = h2c.Property(EndpointProperty.Url);
            context.EnvironmentVariables[$"Kestrel__Endpoints__{H2cEndpointName}__Protocols"] = "Http2";
        });
    }

    /// <summary>
    /// Passes the AppHost's configuration section <paramref name="sectionName"/> (e.g. <c>--Sse:BatchSize=1</c>, or
    /// <c>Sse__BatchSize</c> in its environment) to the service as <c>Section__Key</c> variables.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithConfigurationSection(this IResourceBuilder<ProjectResource> builder, string sectionName)
    {
        var section = builder.ApplicationBuilder.Configuration.GetSection(sectionName);
        return builder.WithEnvironment(context =>
        {
            foreach (var (key, value) in section.AsEnumerable())
            {
                if (value is not null)
                {
                    context.EnvironmentVariables[key.Replace(":", "__", StringComparison.Ordinal)] = value;
                }
            }
        });
    }

    /// <summary>The demo page beside the gateway's address in the dashboard.</summary>
    public static IResourceBuilder<ProjectResource> WithDemoPageUrl(this IResourceBuilder<ProjectResource> gateway) =>
        gateway.WithUrlForEndpoint("http", endpoint => new ResourceUrlAnnotation { Url = "/demo_sse_streaming.html", DisplayText = "Demo page" });
}
