using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TaskEvents.AppHost.Services;

namespace TaskEvents.IntegrationTests;

/// <summary>
/// What the AppHost's app model offers besides the services: another database server, its dashboard commands, and the
/// runtime settings it gives the services.
/// </summary>
public sealed class AppModelTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_existing_server_in_the_connection_string_replaces_the_local_one_and_holds_the_events()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync();
        await using var system = await TaskEventsSystem.StartAsync(new TaskEventsSystemOptions
        {
            Arguments = [$"--ConnectionStrings:taskevents={connectionString}"],
            Emitter = false,
            Log = output.Lines(),
        });
        var resources = system.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Select(r => r.Name).ToList();
        Assert.DoesNotContain("postgres", resources);
        Assert.Contains("taskevents", resources);

        using var client = TestHttpClient.Create(system.Gateway, await system.DevTokenAsync());
        var taskId = $"external-{Guid.NewGuid():N}";
        await client.CreateTaskAsync(taskId);
        await client.AppendAsync(taskId, "step_started", "step_completed");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM events WHERE task_id = $1", connection) { Parameters = { new() { Value = taskId } } };
        Assert.Equal(2L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Only_the_gateway_gets_a_buffer_pool_sized_for_its_upstream_streams()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"taskevents-model-{Guid.NewGuid():N}");
        try
        {
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.TaskEvents_AppHost>(
                ["--TaskEvents:GatewayPort=0", $"--TaskEvents:DataDirectory={dataDirectory}"], (app, _) => app.DisableDashboard = true);

            var gateway = await EnvironmentOfAsync(builder, "gateway");
            Assert.Equal(ServiceResourceExtensions.UpstreamBufferPoolArraysPerCore, gateway[ServiceResourceExtensions.UpstreamBufferPoolVariable]);
            var api = await EnvironmentOfAsync(builder, "api-0");
            Assert.False(api.ContainsKey(ServiceResourceExtensions.UpstreamBufferPoolVariable), "the Api replicas relay no HTTP/2 client streams");
        }
        finally
        {
            // Building the model prepares the data directory (nothing is started in it).
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    // Publish mode: endpoint references stay expressions, so nothing needs to be allocated or started.
    private static async Task<Dictionary<string, string>> EnvironmentOfAsync(IDistributedApplicationTestingBuilder builder, string service)
    {
        var resource = Assert.Single(builder.Resources.OfType<ProjectResource>(), resource => resource.Name == service);
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new(DistributedApplicationOperation.Publish), NullLogger.Instance, CancellationToken.None);
        Assert.Null(configuration.Exception);
        return configuration.EnvironmentVariables.ToDictionary();
    }

    [Fact]
    public async Task The_emitters_dashboard_command_appends_a_complete_demo_run()
    {
        await using var system = await TaskEventsSystem.StartAsync(new TaskEventsSystemOptions { Log = output.Lines() });

        var message = await system.ExecuteCommandAsync("emitter", "emit-demo-run");

        var taskId = Assert.Single(message!.Split(' '), word => word.StartsWith("demo-dashboard-", StringComparison.Ordinal)).TrimEnd(':');
        using var client = TestHttpClient.Create(system.Gateway, await system.DevTokenAsync());
        var task = await client.GetJsonAsync($"/api/tasks/{taskId}");
        Assert.Equal("completed", task.GetProperty("status").GetString());
        Assert.Equal(60, task.GetProperty("last_seq").GetInt64());
    }
}
