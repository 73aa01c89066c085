using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using TaskEvents.Api.Apis;
using TaskEvents.Api.Events;
using TaskEvents.Api.Observability;
using TaskEvents.Api.Storage;
using TaskEvents.Api.Streaming;

namespace TaskEvents.Api.Extensions;

/// <summary>Registers everything the Api needs: the event store, the fan-out, options, problem details.</summary>
public static class ApiServiceExtensions
{
    public const string ConnectionName = "taskevents";

    public static IHostApplicationBuilder AddApiServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionName} is not set. Set ConnectionStrings__{ConnectionName} to a PostgreSQL connection string.");

        services.AddOptions<SseOptions>()
            .Bind(builder.Configuration.GetSection(SseOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.MaxPollInterval >= o.PollInterval, "Sse:MaxPollInterval must be at least Sse:PollInterval.")
            .ValidateOnStart();

        // The Api validates tokens itself: it never trusts the gateway to have done it.
        builder.AddTokenAuthentication();

        services.AddNpgsqlDataSource(connectionString);
        services.AddSingleton(new ListenConnectionFactory(connectionString));
        services.AddHostedService<DatabaseMigrator>();
        services.AddSingleton<EventStore>();
        services.AddSingleton<AppendCombiner>();
        services.AddSingleton<TaskTailRegistry>();
        services.AddSingleton<NotificationListener>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationListener>());
        services.AddSingleton<ApiMetrics>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        services.AddProblemDetails();
        services.AddExceptionHandler<StoreExceptionHandler>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = EventRules.MaxRequestBodyBytes);
        services.AddOpenApi();
        return builder;
    }
}
