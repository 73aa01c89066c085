namespace TaskEvents.Emitter.Output;

/// <summary>Collects delivery latencies and summarizes them (median and max) when a watch ends.</summary>
internal sealed class LatencySummary
{
    private readonly List<double> _milliseconds = [];

    public int Count => _milliseconds.Count;

    public void Add(TimeSpan latency) => _milliseconds.Add(latency.TotalMilliseconds);

    public override string ToString()
    {
        if (_milliseconds.Count == 0)
        {
            return "no events";
        }

        var sorted = _milliseconds.Order().ToList();
        return $"latency median {sorted[sorted.Count / 2]:0.0} ms, max {sorted[^1]:0.0} ms";
    }
}
