using System.Diagnostics;
using TaskEvents.AppHost.Orchestration;

namespace TaskEvents.IntegrationTests;

/// <summary>An AppHost killed outright (SIGKILL: no chance to stop its children) leaves nothing behind for long.</summary>
public sealed class KilledAppHostTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_next_start_on_the_same_data_directory_stops_what_a_killed_apphost_left_running()
    {
        var dataDirectory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"taskevents-killed-{Guid.NewGuid():N}")).FullName;
        int[] leftovers = [];
        try
        {
            // The first AppHost, a process of its own as a developer runs it, killed once everything is up.
            using (var first = StartAppHostProcess(dataDirectory))
            {
                var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                first.OutputDataReceived += (_, e) =>
                {
                    Write($"first: {e.Data}");
                    if (e.Data?.Contains("Started in", StringComparison.Ordinal) == true)
                    {
                        started.TrySetResult();
                    }
                };
                first.ErrorDataReceived += (_, e) => Write($"first: {e.Data}");
                first.Start();
                first.BeginOutputReadLine();
                first.BeginErrorReadLine();
                try
                {
                    await Task.WhenAny(started.Task, first.WaitForExitAsync()).Unwrap().WaitAsync(StartTimeout);
                    Assert.True(started.Task.IsCompleted, "the first AppHost ended before it had started everything");
                    var state = LinuxProcesses.RunState(dataDirectory);
                    Assert.Equal(first.Id, state.AppHost);
                    leftovers = [.. state.Children, LinuxProcesses.PostgresPid(dataDirectory) ?? 0];
                }
                finally
                {
                    // SIGKILL to the AppHost alone, not its process group: its children and PostgreSQL keep running.
                    first.Kill(entireProcessTree: false);
                    await first.WaitForExitAsync();
                }
            }

            Assert.Equal(5, leftovers.Length); // api-0, api-1, gateway, emitter, PostgreSQL
            Assert.All(leftovers, pid => Assert.True(LinuxProcesses.Alive(pid), $"pid {pid} did not outlive the killed AppHost"));

            // The next start on the same data directory, through the harness.
            var builder = await DistributedApplicationTestingBuilder.CreateAsync(
                $"--AppHost:DataDirectory={dataDirectory}", "--AppHost:TemporaryDatabase=false");
            builder.WithResourceLogs(Write);
            await using var second = await builder.BuildAsync();
            var announced = new List<string>();
            second.Announced += line => announced.Add(line);
            using (var timeout = new CancellationTokenSource(StartTimeout))
            {
                await second.StartAsync(timeout.Token);
            }

            Assert.All(leftovers, pid => Assert.False(LinuxProcesses.Alive(pid), $"pid {pid}, left by the killed AppHost, still runs"));
            var stopped = Assert.Single(announced, l => l.StartsWith("Stopped what a previous run left running:", StringComparison.Ordinal));
            Assert.All(leftovers[..^1], pid => Assert.Contains($"(pid {pid})", stopped));
            var postgres = second.Orchestrator.Find("postgres")!;
            Assert.Contains(postgres.Log.Tail(50), l => l.Contains($"stopped PostgreSQL (pid {leftovers[^1]}) left running by a previous run", StringComparison.Ordinal));

            // And the system it started in their place works, on the same database.
            Assert.Equal(ResourceState.Healthy, postgres.State);
            Assert.NotEqual(leftovers[^1], postgres.ProcessId);
            await second.WaitForHealthyAsync("gateway");
        }
        finally
        {
            // When the test failed, the leftovers are still there; they are this test's to clean up.
            foreach (var pid in leftovers.SkipLast(1).Where(LinuxProcesses.Alive))
            {
                LinuxProcesses.Signal("KILL", pid);
            }

            LinuxProcesses.StopLeftoverPostgres(dataDirectory);
            TryDelete(dataDirectory);
        }
    }

    private static Process StartAppHostProcess(string dataDirectory)
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;
        var appHost = Path.Combine(LinuxProcesses.RepositoryRoot(), "TaskEvents.AppHost", "bin", LinuxProcesses.BuildConfiguration(), tfm, "TaskEvents.AppHost");
        Assert.True(File.Exists(appHost), $"{appHost} is missing: build TaskEvents.AppHost.");
        var start = new ProcessStartInfo(appHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[$"--AppHost:DataDirectory={dataDirectory}", "--AppHost:RandomizePorts=true", "--AppHost:DashboardEnabled=false", "--AppHost:HealthCheckIntervalSeconds=1"])
        {
            start.ArgumentList.Add(arg);
        }

        return new Process { StartInfo = start };
    }

    private void Write(string? line)
    {
        try
        {
            output.WriteLine(line ?? "");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; lines written while stopping have nowhere to go.
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
