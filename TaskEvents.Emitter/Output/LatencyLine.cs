using TaskEvents.Measurement;

namespace TaskEvents.Emitter.Output;

/// <summary>The delivery latencies of a watch, as its last line shows them (median and max).</summary>
internal static class LatencyLine
{
    public static string Format(LatencySummary summary) =>
        summary.Count == 0 ? "no events" : $"latency median {summary.P50:0.0} ms, max {summary.Max:0.0} ms";
}
