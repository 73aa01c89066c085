using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Trace;
using TaskEvents.Api.Apis;
using TaskEvents.Api.ChangeFeed;
using TaskEvents.Api.Events;
using TaskEvents.Api.Observability;
using TaskEvents.Api.Storage;
using TaskEvents.Api.Streaming;
using TaskEvents.ServiceDefaults.Http;

namespace TaskEvents.Api.Extensions;

/// <summary>Registers everything the Api needs beyond ServiceDefaults: the event store, the fan-out, options, its error mapping.</summary>
public static class ApiServiceExtensions
{
    public const string ConnectionName = "taskevents";

    /// <summary>Statements each connection keeps prepared: every statement the Api runs, with room to spare.</summary>
    private const int AutoPreparedStatements = 32;

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

        // Aspire.Npgsql: the pooled data source with its health check (part of /health), tracing and metrics.
        builder.AddNpgsqlDataSource(ConnectionName, configureDataSourceBuilder: dataSource =>
        {
            // The append and read statements run thousands of times a second: prepared once per connection, PostgreSQL
            // stops parsing and planning each one. A connection string that sets Max Auto Prepare keeps its value.
            if (dataSource.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                dataSource.ConnectionStringBuilder.MaxAutoPrepare = AutoPreparedStatements;
            }

            // Nothing the Api runs changes session state (no SET, temporary tables or LISTEN on pooled connections; the
            // listener has its own), so a connection needs no reset when it goes back to the pool. With prepared
            // statements Npgsql's reset is several commands sent before the next use of every connection.
            dataSource.ConnectionStringBuilder.NoResetOnClose = true;

            // One writer does every append, so the pool serves reads: a few connections per core keep PostgreSQL's
            // backends from outnumbering the cores (Npgsql's default allows 100 per process). A connection string that
            // sets another Maximum Pool Size than Npgsql's default keeps it.
            if (dataSource.ConnectionStringBuilder.MaxPoolSize == new Npgsql.NpgsqlConnectionStringBuilder().MaxPoolSize)
            {
                dataSource.ConnectionStringBuilder.MaxPoolSize = 2 * Environment.ProcessorCount + 4;
            }
        });
        services.AddSingleton(new ListenConnectionFactory(connectionString));
        services.AddHostedService<DatabaseMigrator>();
        services.AddSingleton<EventStore>();
        services.AddSingleton<AppendWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AppendWriter>());
        services.AddSingleton<ITaskEventReader>(sp => sp.GetRequiredService<EventStore>());
        services.AddSingleton<TaskTailRegistry>();
        services.AddSingleton<ITaskChangeHandler>(sp => sp.GetRequiredService<TaskTailRegistry>());
        services.AddSingleton<NotificationListener>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationListener>());
        services.AddSingleton<ApiMetrics>();
        services.AddOptions<DeliveryTracingOptions>()
            .Bind(builder.Configuration.GetSection(DeliveryTracingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<DeliverySpans>();
        // The Api's own spans (append batches, sampled deliveries), beside ServiceDefaults' instrumentation.
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(ApiTracing.SourceName));

        services.AddExceptionHandler<StoreExceptionHandler>();
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = EventRules.MaxRequestBodyBytes);
        builder.AcceptForwardedRequestHeaders();
        services.AddOpenApi();
        return builder;
    }
}
