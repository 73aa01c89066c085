using TaskEvents.LocalPostgres;
using TaskEvents.ReliabilityTests.Load;
using TaskEvents.SystemTesting;
using TaskEvents.Testing;

namespace TaskEvents.ReliabilityTests.Faults;

/// <summary>
/// Fault 11: the whole system as <c>dotnet run --project TaskEvents.AppHost</c> runs it (durable PostgreSQL, two Api
/// replicas, the gateway, the emitter, the dashboard) stopped by SIGTERM to its process group, as a service manager
/// stops it, and started again on the same data and ports. No process of the first run survives, the cluster was shut
/// down cleanly, every acknowledged event is still stored, and the subscribers resume with nothing lost or repeated.
/// </summary>
public sealed class WholeSystemRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Aspire stops each service with SIGTERM (SIGKILL some seconds later), PostgreSQL with a fast shutdown.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Below the gateway's default per-client REST rate (50/s) for the one producer token.</summary>
    private const double ProducerRate = 40;

    [Fact]
    public async Task The_whole_system_stopped_by_sigterm_and_started_again_keeps_every_acknowledged_event()
    {
        var dataDirectory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"taskevents-restart-{Guid.NewGuid():N}")).FullName;
        var gatewayPort = LocalPostgresServer.FreeTcpPort();
        var gateway = new Uri($"http://127.0.0.1:{gatewayPort}");
        using var first = await StartAppHostAsync(dataDirectory, gatewayPort);
        first.DeletesDataDirectory = false;
        await using var load = await FaultLoad.StartAsync(new LoadSettings(gateway, DevelopmentTokens.Create)
        {
            EventsPerSecond = Math.Min(ProducerRate, Scale.EventsPerSecond),
        });
        await load.WaitUntilStreamingAsync();
        await load.WaitForAcknowledgedAsync(Scale.Pick(20, 200));
        var processes = first.Processes();

        var stoppedAt = DateTimeOffset.UtcNow;
        LinuxProcesses.Signal("TERM", -first.ProcessGroup);
        await first.Exited.WaitAsync(StopTimeout);
        await Poll.UntilAsync(() => !processes.Any(LinuxProcesses.Alive), StopTimeout, "every process of the first run gone");
        var stoppedIn = DateTimeOffset.UtcNow - stoppedAt;
        var clusterState = first.ClusterState();

        using var second = await StartAppHostAsync(dataDirectory, gatewayPort);
        var restartedAt = DateTimeOffset.UtcNow;
        var recovery = await load.WaitForRecoveryAsync(restartedAt);
        await load.WaitForAcknowledgedAsync(Scale.EventsAfterRecovery);
        var check = await load.FinishAsync();
        var missing = await MissingFromStoreAsync(gateway, load);

        FaultOutcome.RecordAndAssert(11, "The whole system stopped by SIGTERM to its process group, started again on the same data",
            "AppHost (dotnet run): durable PostgreSQL + 2 Api replicas + gateway + emitter + dashboard", load, check, recovery,
            $"{processes.Count} processes all gone {stoppedIn.TotalSeconds:0.0} s after SIGTERM; cluster left \"{clusterState}\"; " +
            $"down {(restartedAt - stoppedAt).TotalSeconds:0.0} s; recovery counted from the second start; {missing} acknowledged events missing from the store; " +
            $"producer gave up {load.GaveUp}× and resent",
            FaultExpectations.ServerErrors(
                (502, "an append in flight to a replica as the whole system stopped: its outcome unknown to the gateway, resent with the same event id"),
                (503, "no replica reachable while the system stops or starts: Retry-After")),
            output);
        Assert.Equal("shut down", clusterState);
        Assert.Equal(0, missing);
    }

    /// <summary>Starts the AppHost on <paramref name="gatewayPort"/> (the dashboard on free ports) and waits until the gateway is healthy.</summary>
    private async Task<AppHostProcess> StartAppHostAsync(string dataDirectory, int gatewayPort)
    {
        var run = AppHostProcess.Start(dataDirectory, Log,
            $"--TaskEvents:GatewayPort={gatewayPort}",
            $"--ASPNETCORE_URLS=http://127.0.0.1:{LocalPostgresServer.FreeTcpPort()}",
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{LocalPostgresServer.FreeTcpPort()}",
            $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{LocalPostgresServer.FreeTcpPort()}");
        try
        {
            await run.WaitUntilStartedAsync(StartTimeout);
            await Poll.UntilAsync(() => IsHealthyAsync(new Uri($"http://127.0.0.1:{gatewayPort}")), StartTimeout, "the gateway is healthy");
            return run;
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    /// <summary>Acknowledged events that a REST read of their task (from the start) does not return with the same id.</summary>
    private static async Task<int> MissingFromStoreAsync(Uri gateway, FaultLoad load)
    {
        using var http = new HttpClient { BaseAddress = gateway };
        using var client = new TaskEventsClient(http, new TaskEventsClientOptions
        {
            BaseAddress = gateway,
            AccessTokenProvider = (_, _) => ValueTask.FromResult<string?>(DevelopmentTokens.Create()),
        });
        var missing = 0;
        foreach (var taskId in load.TaskIds)
        {
            var stored = new Dictionary<long, string>();
            for (var page = await client.GetEventsAsync(taskId, 0, 1000); ; page = await client.GetEventsAsync(taskId, page.NextSinceSeq, 1000))
            {
                foreach (var storedEvent in page.Events)
                {
                    stored[storedEvent.Seq] = storedEvent.EventId;
                }

                if (!page.HasMore)
                {
                    break;
                }
            }

            missing += load.Acknowledgements.Of(taskId).Values.Count(a => stored.GetValueOrDefault(a.Seq) != a.EventId);
        }

        return missing;
    }

    private void Log(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished; lines written while stopping have nowhere to go.
        }
    }

    private static async Task<bool> IsHealthyAsync(Uri gateway)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return (await http.GetAsync("/health")).IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
