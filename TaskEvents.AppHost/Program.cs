using TaskEvents.AppHost.Commands;
using TaskEvents.AppHost.Configuration;
using TaskEvents.AppHost.Database;
using TaskEvents.AppHost.Services;

var builder = DistributedApplication.CreateBuilder(args);
if (!StartupChecks.Pass(builder, out var settings))
{
    return 1;
}

var database = builder.AddTaskEventsDatabase(settings);

var gateway = builder.AddProject<Projects.TaskEvents_Gateway>("gateway", launchProfileName: null)
    .WithHttpEndpoint(port: settings.GatewayPort is 0 ? null : settings.GatewayPort, isProxied: false)
    .WithHttpHealthCheck("/health")
    .WithServiceEnvironment()
    .WithSharedCoreRuntimeSettings()
    .WithPooledUpstreamBuffers()
    .WithDemoPageUrl();

for (var replica = 0; replica < settings.ApiReplicas; replica++)
{
    var api = builder.AddProject<Projects.TaskEvents_Api>($"api-{replica}", launchProfileName: null)
        .WithHttpAndH2cEndpoints()
        .WithHttpHealthCheck("/health")
        .WithServiceEnvironment()
        .WithSharedCoreRuntimeSettings()
        .WithConfigurationSection("Sse")
        .WithConfigurationSection("DeliveryTracing")
        .WithReference(database)
        .WaitFor(database);

    gateway.WithReference(api, "api").WaitFor(api);
}

builder.AddProject<Projects.TaskEvents_Emitter>("emitter", launchProfileName: null)
    .WithArgs("--dev-token")
    .WithServiceEnvironment()
    .WithReference(gateway)
    .WaitFor(gateway)
    .WithEmitDemoRunCommand(gateway);

builder.Build().Run();
return 0;
