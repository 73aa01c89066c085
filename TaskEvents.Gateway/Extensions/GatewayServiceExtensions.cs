using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TaskEvents.Gateway.DevTokens;
using TaskEvents.Gateway.FanOut;
using TaskEvents.Gateway.LoadBalancing;
using TaskEvents.Gateway.Proxy;
using TaskEvents.Gateway.RateLimiting;
using TaskEvents.Gateway.Security;
using TaskEvents.ServiceDefaults.Authentication;
using TaskEvents.ServiceDefaults.Http;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace TaskEvents.Gateway.Extensions;

/// <summary>Registers the edge: the proxy and its destinations, rate limits, CORS, timeouts, security headers, dev tokens.</summary>
public static class GatewayServiceExtensions
{
    public const string ProxySectionName = "ReverseProxy";
    public const string PassiveHealthSectionName = "PassiveHealth";

    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        AddValidatedOptions<RateLimitOptions>(builder, RateLimitOptions.SectionName);
        AddValidatedOptions<CorsAllowlistOptions>(builder, CorsAllowlistOptions.SectionName);
        AddValidatedOptions<SecurityHeadersOptions>(builder, SecurityHeadersOptions.SectionName);
        AddValidatedOptions<RestTimeoutOptions>(builder, RestTimeoutOptions.SectionName);
        AddValidatedOptions<DevTokenOptions>(builder, DevTokenOptions.SectionName);
        AddValidatedOptions<RequestBodyLimitOptions>(builder, RequestBodyLimitOptions.SectionName);
        AddValidatedOptions<AppendRoutingOptions>(builder, AppendRoutingOptions.SectionName);
        AddValidatedOptions<StreamFanOutOptions>(builder, StreamFanOutOptions.SectionName);

        builder.AcceptClientRequestHeaders();

        services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection(ProxySectionName))
            .AddTransforms<AccessTokenTransformProvider>()
            // A destination named after a service (http://_h2c.api) becomes one destination per replica that ServiceDefaults'
            // service discovery finds.
            .AddServiceDiscoveryDestinationResolver();
        services.AddSingleton<AppendTraffic>();
        services.AddSingleton<ReplicaLivenessProbe>();
        services.AddSingleton<ILoadBalancingPolicy, AppendsToOneReplicaPolicy>();
        services.AddSingleton<FanOutMetrics>();
        services.AddSingleton<UpstreamConnector>();
        services.AddSingleton<StreamHubRegistry>();
        services.Configure<TransportFailureRateHealthPolicyOptions>(configuration.GetSection(PassiveHealthSectionName));

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RateLimitRejection.WriteAsync;
            limiter.AddPolicy<string, StreamRateLimiterPolicy>(RateLimitPolicies.Streams);
            limiter.AddPolicy<string, RestRateLimiterPolicy>(RateLimitPolicies.Rest);
        });

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<CorsAllowlistOptions>>((cors, allowlist) =>
            cors.AddDefaultPolicy(policy => policy
                .WithOrigins(allowlist.Value.AllowedOrigins)
                .WithMethods(HttpMethods.Get, HttpMethods.Post)
                .WithHeaders("Authorization", "Content-Type", "Last-Event-ID")
                .WithExposedHeaders("Location", "Retry-After")
                .SetPreflightMaxAge(allowlist.Value.PreflightMaxAge)));

        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<RestTimeoutOptions>>((timeouts, rest) =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = rest.Value.Timeout,
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
            });

        services.AddOptions<HstsOptions>().Configure<IOptions<SecurityHeadersOptions>>((hsts, headers) =>
        {
            hsts.MaxAge = headers.Value.HstsMaxAge;
            hsts.IncludeSubDomains = headers.Value.HstsIncludeSubDomains;
        });

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DevTokenIssuer>();
        services.AddOptions<DevTokenOptions>().Validate<IOptions<AuthOptions>>(
            (devTokens, auth) => !devTokens.Enabled || auth.Value.UsesSigningKey,
            "DevTokens:Enabled needs Auth:SigningKey: dev tokens are signed with it.");
        return builder;
    }

    private static void AddValidatedOptions<TOptions>(IHostApplicationBuilder builder, string sectionName)
        where TOptions : class =>
        builder.Services.AddOptions<TOptions>()
            .Bind(builder.Configuration.GetSection(sectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
}
