using System.Diagnostics;
using System.Globalization;
using TaskEvents.LoadTests.Cli;
using TaskEvents.LoadTests.Targets;

namespace TaskEvents.LoadTests.Tests;

/// <summary><c>--harness-cpus</c>: which CPUs each side gets, the errors for a list that cannot work, and the moves themselves.</summary>
[Collection(CpuSplitCollection.Name)]
public sealed class CpuSplitTests
{
    [Theory]
    [InlineData("2,3", "2,3", "0,1")]
    [InlineData("2-3", "2,3", "0,1")]
    [InlineData("3, 1", "1,3", "0,2")]
    [InlineData("0", "0", "1,2,3")]
    public void The_harness_takes_the_listed_cpus_and_the_system_the_rest(string list, string harness, string system)
    {
        var split = CpuSplit.Parse(list, [0, 1, 2, 3]);

        Assert.Equal(harness, string.Join(',', split.Harness));
        Assert.Equal(system, string.Join(',', split.System));
    }

    [Theory]
    [InlineData("4", "CPU 4 is not one this process may use (0,1,2,3)")]
    [InlineData("0-3", "leaves no CPU for the system under test")]
    [InlineData("1-x", "'1-x' is not a CPU number or range")]
    [InlineData("-1", "'-1' is not a CPU number or range")]
    [InlineData("3-1", "the range '3-1' runs backwards")]
    [InlineData(" , ", "no CPU given")]
    public void A_list_that_cannot_work_is_a_usage_error_that_says_why(string list, string reason)
    {
        var error = Assert.Throws<UsageException>(() => CpuSplit.Parse(list, [0, 1, 2, 3]));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task What_starts_before_the_move_keeps_the_system_cpus_and_every_harness_thread_moves()
    {
        var allowed = CpuSplit.AllowedCpus();
        Assert.True(allowed.Count >= 2, $"this test needs two CPUs; the process may use {string.Join(',', allowed)}");
        var split = CpuSplit.Parse(allowed[^1].ToString(CultureInfo.InvariantCulture), allowed);
        try
        {
            split.BeforeStarting();
            using var child = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
            split.AfterStarting();
            try
            {
                Assert.Equal(split.System, CpuSplit.AllowedCpus($"/proc/{child.Id}"));
                Assert.All(ThreadsOf(Environment.ProcessId), thread => Assert.Equal(split.Harness, CpuSplit.AllowedCpus(thread)));
                var threadStartedLater = await Task.Factory.StartNew(() => CpuSplit.AllowedCpus("/proc/thread-self"), TaskCreationOptions.LongRunning);
                Assert.Equal(split.Harness, threadStartedLater);
            }
            finally
            {
                child.Kill();
                await child.WaitForExitAsync();
            }
        }
        finally
        {
            // Every thread back on every CPU, for the other tests in this process.
            new CpuSplit(allowed, []).AfterStarting();
        }
    }

    private static IEnumerable<string> ThreadsOf(int processId) =>
        Directory.GetDirectories($"/proc/{processId}/task").Where(thread => File.Exists($"{thread}/status"));
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CpuSplitCollection
{
    public const string Name = "Moves this process between CPUs";
}
