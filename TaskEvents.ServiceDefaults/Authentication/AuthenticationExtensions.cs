using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TaskEvents.ServiceDefaults.Authentication;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// One way to authenticate for every TaskEvents service: JWT bearer validated from the <c>Auth</c> section,
/// the tenant and scope policies, and 401/403 as problem+json. In Development the issuer and key default to
/// <see cref="DevelopmentAuth"/>.
/// </summary>
public static class AuthenticationExtensions
{
    /// <param name="queryTokenPath">Where <c>?access_token=</c> is accepted (the gateway's <c>/sse</c>); nowhere by default.</param>
    public static TBuilder AddDefaultAuthentication<TBuilder>(this TBuilder builder, PathString queryTokenPath = default)
        where TBuilder : IHostApplicationBuilder
    {
        if (builder.Environment.IsDevelopment())
        {
            // First source, so every other one (appsettings, environment, command line, a test's settings) overrides it.
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = DevelopmentAuth.Settings });
        }

        var services = builder.Services;
        services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton(new QueryTokenPath(queryTokenPath));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerOptionsSetup>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.Authenticated, policy => RequireTenant(policy))
            .AddPolicy(AuthPolicies.ReadEvents, policy => RequireTenant(policy).RequireAssertion(c => TokenClaims.HasScope(c.User, EventScopes.Read)))
            .AddPolicy(AuthPolicies.WriteEvents, policy => RequireTenant(policy).RequireAssertion(c => TokenClaims.HasScope(c.User, EventScopes.Write)));
        return builder;
    }

    private static AuthorizationPolicyBuilder RequireTenant(AuthorizationPolicyBuilder policy) =>
        policy.RequireAuthenticatedUser().RequireAssertion(context => TokenClaims.TenantOf(context.User) is not null);
}
