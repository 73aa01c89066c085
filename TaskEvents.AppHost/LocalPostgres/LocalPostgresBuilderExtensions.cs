using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskEvents.LocalPostgres;

namespace TaskEvents.AppHost.LocalPostgres;

/// <summary>
/// <c>AddLocalPostgres(...).AddDatabase(...)</c>: PostgreSQL without a container runtime, shaped like Aspire.Hosting.PostgreSQL's
/// <c>AddPostgres(...).AddDatabase(...)</c> and driven by Aspire's eventing (the pattern of dotnet/aspire-samples' custom resources).
/// </summary>
public static class LocalPostgresBuilderExtensions
{
    private static readonly string LauncherScript = Path.Combine(AppContext.BaseDirectory, "LocalPostgres", "run-postgres.sh");

    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, LocalPostgresOptions options)
    {
        var cluster = new LocalPostgresCluster(options);
        var password = builder.AddParameter($"{name}-password", cluster.ReadOrCreatePassword(), secret: true);
        var server = new LocalPostgresServerResource(name, cluster.DataDirectory, password.Resource);
        var port = options.Port == 0 ? LocalPostgresServer.FreeTcpPort() : options.Port;

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (@event, cancellationToken) =>
        {
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            if (await cluster.StopLeftoverServerAsync(cancellationToken) is { } leftover)
            {
                logger.LogWarning("Stopped PostgreSQL (pid {Pid}) that an earlier run left running on {Cluster}", leftover, cluster.ClusterDirectory);
            }

            await cluster.PrepareAsync(cancellationToken);
        });

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server, async (_, cancellationToken) =>
            connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken));

        // Aspire gives the databases of a container their parent's state; under an executable they get none unless it is published.
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (@event, cancellationToken) =>
        {
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var database in server.Databases)
            {
                await LocalPostgresCluster.CreateDatabaseAsync(connectionString!, database.DatabaseName, cancellationToken);
                await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow, StopTimeStamp = null });
            }
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString ?? throw new InvalidOperationException($"The connection string of '{name}' is not known yet."), name: healthCheckKey);

        return builder.AddResource(server)
            .WithEndpoint(port: port, name: LocalPostgresServerResource.EndpointName, scheme: "tcp", isProxied: false)
            .WithArgs([LauncherScript, cluster.RunAsUser ?? "-", cluster.PostmasterPath, "-D", cluster.ClusterDirectory,
                       .. cluster.ServerSettings(port).SelectMany(setting => (string[])["-c", setting])])
            .WithHealthCheck(healthCheckKey)
            .WithIconName("Database");
    }

    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> server, string name, string? databaseName = null)
    {
        var builder = server.ApplicationBuilder;
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, server.Resource);
        server.Resource.Databases.Add(database);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(database, async (_, cancellationToken) =>
            connectionString = await database.ConnectionStringExpression.GetValueAsync(cancellationToken));
        builder.Eventing.Subscribe<ResourceStoppedEvent>(database, async (@event, _) =>
            await @event.Services.GetRequiredService<ResourceNotificationService>()
                .PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Exited, StopTimeStamp = DateTime.UtcNow }));

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString ?? throw new InvalidOperationException($"The connection string of '{name}' is not known yet."), name: healthCheckKey);

        return builder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.NotStarted,
                Properties = [new("database", database.DatabaseName)],
            })
            .WithHealthCheck(healthCheckKey)
            .WithIconName("Database");
    }
}
