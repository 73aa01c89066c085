using System.Text.RegularExpressions;
using TaskEvents.Emitter.Cli;
using TaskEvents.Emitter.Runs;

namespace TaskEvents.Emitter.Tests;

public sealed partial class WorkerTests
{
    [Fact]
    public async Task Worker_plays_well_formed_runs_and_starts_new_tasks_as_runs_complete()
    {
        await using var api = await ApiHost.StartAsync();

        var run = await InProcessEmitterRun.RunAsync("--gateway", api.BaseAddress.ToString(), "--token", TestTokens.Create(), "--tasks", "2", "--rate", "2000", "--max-runs", "3");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        var completed = run.OutputLines.Select(line => CompletedLine().Match(line)).Where(m => m.Success).ToList();
        Assert.Equal(3, completed.Count);
        Assert.Equal(3, completed.Select(m => m.Groups["task"].Value).Distinct().Count());
        foreach (var match in completed)
        {
            var events = await StoredRuns.ReadAllAsync(api.BaseAddress, match.Groups["task"].Value);
            Assert.Equal(int.Parse(match.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture), events.Count);
            RunShape.AssertWellFormedCompletedRun(events);
        }

        Assert.Equal("worker stopped", run.OutputLines[^1]);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(5, true)]
    [InlineData(5, false)]
    [InlineData(15, true)]
    [InlineData(16, true)]
    [InlineData(17, false)]
    [InlineData(200, true)]
    public void A_script_has_exactly_the_requested_events(int count, bool complete)
    {
        var events = AgentRunScript.Create(new Random(count), count, complete);

        Assert.Equal(count, events.Count);
        Assert.Equal(complete, events[^1].EventType == TerminalEventTypes.Completed);
        Assert.Equal(count, events.Select(e => e.EventId).Distinct().Count());
        var progress = events.Where(e => e.EventType == "progress_update").Select(e => e.Payload!.Value.GetProperty("progress").GetInt32()).ToList();
        Assert.True(progress.SequenceEqual(progress.Order()), $"progress not rising: {string.Join(',', progress)}");
        Assert.All(progress, value => Assert.InRange(value, 0, 100));
    }

    [GeneratedRegex(@"^completed (?<task>demo-\d-[0-9a-f]{32}): (?<count>\d+) events, last seq \k<count>$")]
    private static partial Regex CompletedLine();
}
