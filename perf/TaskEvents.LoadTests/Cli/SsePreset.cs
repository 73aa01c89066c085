using System.Globalization;

namespace TaskEvents.LoadTests.Cli;

/// <summary>
/// Stream tuning under test: the Api's <c>Sse:BatchSize</c>, <c>Sse:FlushInterval</c> and <c>Sse:PollInterval</c>
/// (the seed's three presets), also sent per stream as <c>batch_size</c> and <c>flush_interval</c>.
/// </summary>
internal sealed record SsePreset(string Name, int BatchSize, double FlushInterval, double PollInterval)
{
    public static SsePreset LowLatency { get; } = new("low-latency", 1, 0.1, 0.05);

    public static SsePreset Default { get; } = new("default", 10, 0.5, 0.1);

    public static SsePreset HighThroughput { get; } = new("high-throughput", 50, 2.0, 0.5);

    public static IReadOnlyList<SsePreset> All { get; } = [LowLatency, Default, HighThroughput];

    /// <summary>A preset by name, or <c>batch/flush/poll</c> (e.g. <c>5/0.2/0.1</c>) for a custom one.</summary>
    public static SsePreset Parse(string text)
    {
        if (All.FirstOrDefault(p => p.Name.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } known)
        {
            return known;
        }

        var parts = text.Split('/');
        if (parts.Length == 3
            && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var batch) && batch is >= 1 and <= 100
            && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var flush) && flush is >= 0.1 and <= 5.0
            && double.TryParse(parts[2], CultureInfo.InvariantCulture, out var poll) && poll is >= 0.01 and <= 60)
        {
            return new SsePreset(text, batch, flush, poll);
        }

        throw new UsageException(
            $"Unknown preset '{text}': use {string.Join(", ", All.Select(p => p.Name))} or batch/flush/poll (batch 1-100, flush 0.1-5 s, poll 0.01-60 s).");
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} (BatchSize {BatchSize}, FlushInterval {FlushInterval} s, PollInterval {PollInterval} s)");
}
