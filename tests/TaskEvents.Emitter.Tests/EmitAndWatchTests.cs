using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using TaskEvents.Emitter.Cli;

namespace TaskEvents.Emitter.Tests;

public sealed partial class EmitAndWatchTests : IAsyncLifetime
{
    private ApiHost _api = null!;
    private static readonly string Token = TestTokens.Create();
    private string _gateway = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHost.StartAsync();
        _gateway = _api.BaseAddress.ToString();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Emit_appends_a_complete_run_at_the_given_rate_and_reports_progress()
    {
        var run = await InProcessEmitterRun.RunAsync("emit", "--task", "demo-1", "--count", "60", "--rate", "40", "--complete", "--gateway", _gateway, "--token", Token);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.Contains(run.OutputLines, line => ProgressLine().IsMatch(line));
        Assert.Matches(@"^emitted 60 events to demo-1 in (1|2|3)\.\d s .*last seq 60, task completed$", run.OutputLines[^1]);
        RunShape.AssertWellFormedCompletedRun(await StoredRuns.ReadAllAsync(_api.BaseAddress, "demo-1"));
    }

    [Fact]
    public async Task Emit_adds_to_a_running_task_and_refuses_an_ended_one()
    {
        var first = await InProcessEmitterRun.RunAsync("emit", "--task", "demo-2", "--count", "5", "--rate", "1000", "--gateway", _gateway, "--token", Token);
        var second = await InProcessEmitterRun.RunAsync("emit", "--task", "demo-2", "--count", "20", "--rate", "1000", "--complete", "--gateway", _gateway, "--token", Token);
        var third = await InProcessEmitterRun.RunAsync("emit", "--task", "demo-2", "--count", "1", "--gateway", _gateway, "--token", Token);

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (first.ExitCode, second.ExitCode));
        Assert.Equal(25, (await StoredRuns.ReadAllAsync(_api.BaseAddress, "demo-2")).Count);
        Assert.Equal(ExitCodes.Failed, third.ExitCode);
        Assert.Equal("error: task 'demo-2' has ended (completed); emit to another task", third.Error.Trim());
    }

    [Fact]
    public async Task Watch_prints_each_event_live_with_its_latency_until_the_task_ends()
    {
        using (var client = TaskEventsClient.Create(new TaskEventsClientOptions { BaseAddress = _api.BaseAddress, AccessTokenProvider = (_, _) => ValueTask.FromResult<string?>(TestTokens.Create()) }))
        {
            await client.CreateTaskAsync("demo-3");
        }

        var watching = InProcessEmitterRun.RunAsync("watch", "--task", "demo-3", "--since", "0", "--gateway", _gateway, "--token", Token);
        var emitted = await InProcessEmitterRun.RunAsync("emit", "--task", "demo-3", "--count", "40", "--rate", "200", "--complete", "--gateway", _gateway, "--token", Token);
        var watched = await watching;

        Assert.Equal(ExitCodes.Success, emitted.ExitCode);
        Assert.True(watched.ExitCode == ExitCodes.Success, watched.Error);
        Assert.StartsWith("watching demo-3 (running", watched.OutputLines[0], StringComparison.Ordinal);
        var eventLines = watched.OutputLines.Where(line => line.StartsWith('#')).ToList();
        Assert.Equal(Enumerable.Range(1, 40).Select(i => $"#{i}"), eventLines.Select(line => line.Split(' ')[0]));
        Assert.All(eventLines, line => Assert.Matches(@" latency=\s*-?\d+\.\d ms", line));
        Assert.Contains("task_completed", eventLines[^1], StringComparison.Ordinal);
        Assert.Matches(@"^end of demo-3 \(task_completed\): 40 events, latency median \d+\.\d ms, max \d+\.\d ms$", watched.OutputLines[^1]);
    }

    [Fact]
    public async Task Watch_since_a_seq_prints_only_the_later_events()
    {
        await InProcessEmitterRun.RunAsync("emit", "--task", "demo-4", "--count", "20", "--rate", "1000", "--complete", "--gateway", _gateway, "--token", Token);

        var watched = await InProcessEmitterRun.RunAsync("watch", "--task", "demo-4", "--since", "15", "--gateway", _gateway, "--token", Token);

        Assert.Equal(ExitCodes.Success, watched.ExitCode);
        Assert.Equal(["#16", "#17", "#18", "#19", "#20"], watched.OutputLines.Where(l => l.StartsWith('#')).Select(l => l.Split(' ')[0]));
    }

    [Theory]
    [InlineData("emit", "--count", "5")]
    [InlineData("emit", "--task", "x", "--count", "0")]
    [InlineData("emit", "--task", "x", "--rate", "fast")]
    [InlineData("watch", "--task", "x", "--since", "-1")]
    [InlineData("frobnicate")]
    [InlineData("--max-runs", "0")]
    [InlineData("--max-runs", "many")]
    public async Task Bad_arguments_exit_with_2_and_say_what_is_wrong(params string[] args)
    {
        var run = await InProcessEmitterRun.RunAsync(args);

        Assert.Equal(ExitCodes.BadArguments, run.ExitCode);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("Run with --help for usage.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_address_that_is_not_a_url_exits_with_2()
    {
        var run = await InProcessEmitterRun.RunAsync("watch", "--task", "x", "--gateway", "not a url");

        Assert.Equal(ExitCodes.BadArguments, run.ExitCode);
        Assert.Equal("error: the gateway address 'not a url' is not an http(s) URL", run.Error.Trim());
    }

    [Fact]
    public async Task An_unreachable_gateway_exits_with_3()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var run = await InProcessEmitterRun.RunAsync("emit", "--task", "x", "--count", "1", "--gateway", $"http://127.0.0.1:{closedPort}");

        Assert.Equal(ExitCodes.GatewayUnreachable, run.ExitCode);
        Assert.StartsWith("error: gateway unreachable: ", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task An_unknown_task_exits_with_5()
    {
        var run = await InProcessEmitterRun.RunAsync("watch", "--task", "nobody-made-this", "--gateway", _gateway, "--token", Token);

        Assert.Equal(ExitCodes.TaskNotFound, run.ExitCode);
        Assert.Contains("There is no task 'nobody-made-this'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dev_token_without_a_gateway_that_issues_them_exits_with_4()
    {
        var run = await InProcessEmitterRun.RunAsync("watch", "--task", "x", "--dev-token", "--gateway", _gateway);

        Assert.Equal(ExitCodes.AuthenticationFailed, run.ExitCode);
        Assert.Contains("dev tokens are off", run.Error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\d+/60 events \(\d+\.\d/s\), last seq \d+$")]
    private static partial Regex ProgressLine();
}
