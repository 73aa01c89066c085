using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TaskEvents.AppHost.Configuration;
using TaskEvents.AppHost.LocalPostgres;
using TaskEvents.LocalPostgres;

namespace TaskEvents.AppHost.Database;

/// <summary>The <c>taskevents</c> database the Api replicas reference, from whichever source the settings choose.</summary>
public static class TaskEventsDatabase
{
    public const string Name = "taskevents";

    public static IResourceBuilder<IResourceWithConnectionString> AddTaskEventsDatabase(this IDistributedApplicationBuilder builder, TaskEventsSettings settings) =>
        EffectiveSource(builder, settings) switch
        {
            DatabaseSource.External => builder.AddConnectionString(Name).WithExternalHealthCheck(builder),
            DatabaseSource.Container => builder.AddPostgres("postgres").WithDataVolume().AddDatabase(Name),
            _ => builder.AddLocalPostgres("postgres", new LocalPostgresOptions
                {
                    DataDirectory = Path.Combine(settings.DataDirectory ?? TaskEventsSettings.DefaultDataDirectory(), "postgres"),
                    Durable = settings.DurableDatabase,
                })
                .AddDatabase(Name),
        };

    /// <summary>The configured source; an existing server when only its connection string is configured; else the local binaries.</summary>
    public static DatabaseSource EffectiveSource(IDistributedApplicationBuilder builder, TaskEventsSettings settings) =>
        settings.Database ?? (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(Name)) ? DatabaseSource.Local : DatabaseSource.External);

    /// <summary>An existing server is waited for like the others: healthy once it accepts a connection.</summary>
    private static IResourceBuilder<IResourceWithConnectionString> WithExternalHealthCheck(this IResourceBuilder<IResourceWithConnectionString> database, IDistributedApplicationBuilder builder)
    {
        var healthCheckKey = $"{Name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(_ => builder.Configuration.GetConnectionString(Name)!, name: healthCheckKey);
        return database.WithHealthCheck(healthCheckKey);
    }
}
