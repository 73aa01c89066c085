using System.Net;
using System.Net.Sockets;
using TaskEvents.AppHost.Orchestration;

namespace TaskEvents.IntegrationTests;

/// <summary>What the AppHost says when it cannot start: one line with the fix, and the child's last lines.</summary>
public sealed class StartupFailureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_busy_fixed_port_fails_with_one_line_naming_the_port()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync("--AppHost:RandomizePorts=false");
        ((ProjectResource)builder.Resources.Single(r => r.Name == "gateway")).HttpEndpoint = new EndpointAnnotation(port);
        await using var app = await builder.BuildAsync();

        var error = await Assert.ThrowsAsync<AppHostException>(() => app.StartAsync());

        Assert.Contains($"Port {port}", error.Message);
        Assert.Contains("already in use", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task No_postgresql_binaries_fail_with_one_line_saying_how_to_get_them()
    {
        // PG_BIN names the folder to use, and only that one: an empty folder stands for a machine without PostgreSQL.
        var empty = Directory.CreateTempSubdirectory("taskevents-no-postgres-").FullName;
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync($"--PG_BIN={empty}");
            await using var app = await builder.BuildAsync();

            var error = await Assert.ThrowsAsync<AppHostException>(() => app.StartAsync());

            Assert.StartsWith($"No PostgreSQL found in PG_BIN ({empty})", error.Message);
            Assert.Contains("initdb and pg_ctl", error.Message);
            Assert.Contains("ConnectionStrings:taskevents", error.Message);
            Assert.DoesNotContain('\n', error.Message);
            Assert.Equal(ResourceState.FailedToStart, app.Orchestrator.Find("postgres")!.State);
            Assert.All(app.Orchestrator.InstancesOf("api"), api => Assert.Null(api.ProcessId));
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public async Task A_service_that_exits_at_startup_fails_with_its_last_log_lines()
    {
        // In Production the services have no signing key configured, so their options validation stops them.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync("--AppHost:Environment=Production");
        builder.WithResourceLogs(output.WriteLine);
        await using var app = await builder.BuildAsync();

        var error = await Assert.ThrowsAsync<AppHostException>(() => app.StartAsync());

        Assert.Matches(@"^api-\d exited with code \d+ during startup", error.Message);
        Assert.Contains(error.Details, line => line.Contains("Auth", StringComparison.Ordinal));
    }
}
