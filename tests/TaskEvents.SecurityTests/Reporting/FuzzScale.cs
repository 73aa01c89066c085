using System.Globalization;

namespace TaskEvents.SecurityTests.Reporting;

/// <summary>
/// How much to fuzz: a fast subset by default (the README test command), thousands of inputs per endpoint with
/// <c>TASKEVENTS_FULL_RUN=1</c>. The seed is fixed unless <c>TASKEVENTS_FUZZ_SEED</c> gives another one.
/// </summary>
public static class FuzzScale
{
    public const int DefaultSeed = 20_261_124;

    public static bool FullRun { get; } = Environment.GetEnvironmentVariable("TASKEVENTS_FULL_RUN") == "1";

    public static int InputsPerEndpoint { get; } = FullRun ? 2_000 : 200;

    public static int Seed { get; } = int.TryParse(Environment.GetEnvironmentVariable("TASKEVENTS_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
        ? seed
        : DefaultSeed;

    public static string Name => FullRun ? "full" : "fast";
}
