namespace TaskEvents.UnitTests.Client.Http;

/// <summary>A jitter source that always draws the same value, so a backoff's delays can be asserted exactly.</summary>
internal sealed class PinnedRandom(double value) : Random
{
    public override double NextDouble() => value;
}
