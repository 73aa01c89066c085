using System.Diagnostics;
using System.Globalization;
using TaskEvents.SecurityTests.Reporting;

namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>
/// Generated and mutated inputs against every endpoint, through the gateway and straight at the Api: only 4xx
/// (or success where the input was in fact valid), never a 5xx, a dropped connection or a hang; the store unchanged;
/// both services healthy and the process's memory back where it was afterwards.
/// </summary>
[Collection(FuzzingCollection.Name)]
public sealed class FuzzingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const long MemoryBoundBytes = 64L * 1024 * 1024;

    private readonly FuzzEnvironment _environment = new();

    public Task InitializeAsync() => _environment.InitializeAsync();

    public Task DisposeAsync() => _environment.DisposeAsync();

    [Fact]
    public Task Every_gateway_endpoint_survives_fuzzing_unchanged() => FuzzAsync("gateway", _environment.Gateway.BaseAddress, e => e.OnGateway);

    [Fact]
    public Task Every_api_endpoint_survives_fuzzing_unchanged() => FuzzAsync("api", _environment.Api.BaseAddress, e => e.OnApi);

    private async Task FuzzAsync(string surface, Uri server, Func<FuzzEndpoint, bool> mapped)
    {
        var seed = FuzzScale.Seed;
        var token = TestTokens.Create();
        var endpoints = FuzzEndpoint.All.Where(mapped).ToList();
        output.WriteLine($"Fuzzing {surface} at {server} with seed {seed} ({FuzzScale.Name} scale, {FuzzScale.InputsPerEndpoint} inputs per endpoint). " +
            $"Reproduce with TASKEVENTS_FUZZ_SEED={seed}{(FuzzScale.FullRun ? " TASKEVENTS_FULL_RUN=1" : "")}.");

        // Warm-up with other inputs (another seed), so pools and JIT are settled before memory is measured. Its answers
        // obey the same rules: a 5xx there counts too.
        var warmUp = new List<FuzzTally>();
        foreach (var endpoint in endpoints)
        {
            warmUp.Add(await FuzzRunner.RunAsync(surface, server, endpoint, new FuzzInputs(endpoint, token, _environment.Tasks, seed + 1).Generate(8), seed + 1));
        }

        var before = await StoreSnapshot.TakeAsync(_environment.Api.ConnectionString);
        var memoryBefore = ManagedMemory();
        var clock = Stopwatch.StartNew();

        var tallies = new List<FuzzTally>();
        foreach (var endpoint in endpoints)
        {
            var inputs = new FuzzInputs(endpoint, token, _environment.Tasks, seed).Generate(FuzzScale.InputsPerEndpoint);
            var tally = await FuzzRunner.RunAsync(surface, server, endpoint, inputs, seed);
            tallies.Add(tally);
            output.WriteLine($"{endpoint.Name}: {tally.Inputs} inputs, {tally.Histogram}; Kestrel refusals {tally.ProtocolRefusals}; {tally.Failures.Count} failures");
        }

        output.WriteLine($"{tallies.Sum(t => t.Inputs)} inputs in {clock.Elapsed.TotalSeconds:F1} s.");
        var unhealthy = await _environment.UnhealthyAsync();
        var after = await StoreSnapshot.TakeAsync(_environment.Api.ConnectionString);
        var memoryAfter = ManagedMemory();
        output.WriteLine($"Managed memory (after a full collection): {memoryBefore / 1048576.0:F1} MiB before, {memoryAfter / 1048576.0:F1} MiB after.");
        var table = Report(surface, seed, tallies, memoryBefore, memoryAfter);
        output.WriteLine($"Table: {table}");

        var failures = warmUp.Concat(tallies).SelectMany(t => t.Failures).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} inputs broke a rule (seed {seed}, warm-up seed {seed + 1}):\n{string.Join("\n", failures.Take(25))}");
        AssertStoreUnchanged(before, after, tallies.SelectMany(t => t.CreatedTaskIds));
        Assert.Null(unhealthy);
        Assert.True(memoryAfter - memoryBefore < MemoryBoundBytes,
            $"Managed memory grew by {(memoryAfter - memoryBefore) / 1048576.0:F1} MiB over the fuzz run (bound {MemoryBoundBytes / 1048576} MiB).");
    }

    /// <summary>Nothing changed but the tasks whose creation the Api acknowledged (valid inputs among the mutations), and those exist.</summary>
    private static void AssertStoreUnchanged(SortedDictionary<string, string> before, SortedDictionary<string, string> after, IEnumerable<string> created)
    {
        var acknowledged = created.Select(id => StoreSnapshot.TaskKey(FuzzEnvironment.Tenant, id)).ToHashSet(StringComparer.Ordinal);
        Assert.All(acknowledged, key => Assert.True(after.ContainsKey(key) && !before.ContainsKey(key), $"acknowledged create {key} is not a new task"));
        var changed = after.Keys.Union(before.Keys)
            .Where(key => !acknowledged.Contains(key) && before.GetValueOrDefault(key) != after.GetValueOrDefault(key))
            .Select(key => $"{key}: {before.GetValueOrDefault(key) ?? "(absent)"} -> {after.GetValueOrDefault(key) ?? "(absent)"}")
            .ToList();
        Assert.True(changed.Count == 0, $"The store changed:\n{string.Join("\n", changed.Take(20))}");
    }

    /// <summary>
    /// The process's managed memory without what the test itself keeps: the requests the Api saw and every log entry both
    /// hosts wrote (all levels; a full run's were 80+ MiB, which once read as the services' growth).
    /// </summary>
    private long ManagedMemory()
    {
        _environment.Api.ForgetReceivedRequests();
        _environment.Api.Logs.Clear();
        _environment.Gateway.Logs.Clear();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string Report(string surface, int seed, List<FuzzTally> tallies, long memoryBefore, long memoryAfter) =>
        ReliabilityArtifacts.WriteRows(
            "fuzzing",
            "Fuzzing: inputs per endpoint and the statuses they got",
            "Written by `tests/TaskEvents.SecurityTests` (`FuzzingTests`). Each row: one endpoint on one surface (through the gateway or " +
            "straight at the Api), the inputs tried, the status histogram, how many of the 4xx were Kestrel's own bare refusals " +
            "(400/405/413/414/431 before any app code), and the rules broken (5xx, dropped connection, hang, non-problem 4xx, stored data). " +
            "Reproduce a run with `TASKEVENTS_FUZZ_SEED=<seed>` (and `TASKEVENTS_FULL_RUN=1` for the full scale).",
            "| Surface | Endpoint | Scale | Seed | Inputs | Status histogram | Kestrel refusals | Broken rules | Memory before → after |",
            surface,
            tallies.Select(t =>
                $"| {t.Surface} | {ReliabilityArtifacts.Cell(t.Endpoint.Name)} | {FuzzScale.Name} | {seed} | {t.Inputs} | {t.Histogram} | {t.ProtocolRefusals} | {t.Failures.Count} | " +
                $"{(t == tallies[0] ? string.Create(CultureInfo.InvariantCulture, $"{memoryBefore / 1048576.0:F1} → {memoryAfter / 1048576.0:F1} MiB") : "")} |"));
}
