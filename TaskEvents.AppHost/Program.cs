using TaskEvents.AppHost.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

var database = builder.AddPostgres("postgres")
    .AddDatabase("taskevents");

var api = builder.AddProject("api", ServiceProjects.Api)
    .WithReplicas(2)
    .WithHttpEndpoint()
    .WithH2cEndpoint()
    .WithHttpHealthCheck("/health")
    .WithReference(database)
    .WithConfigurationSection(builder.Configuration, "Sse")
    .WaitFor(database);

var gateway = builder.AddProject("gateway", ServiceProjects.Gateway)
    .WithHttpEndpoint(port: 8000)
    .WithHttpHealthCheck("/health")
    .WithReference(api)
    .WaitFor(api);

builder.AddProject("emitter", ServiceProjects.Emitter)
    .WithArgs("--dev-token")
    .WithReference(gateway)
    .WaitFor(gateway);

builder.Build().Run();
