using Microsoft.Extensions.Options;

namespace TaskEvents.Api.Observability;

/// <summary>This process's delivery spans: the options and the one <see cref="DeliverySampler"/> every stream shares.</summary>
public sealed class DeliverySpans(IOptions<DeliveryTracingOptions> options)
{
    public const string Name = "deliver";

    private readonly DeliverySampler _sampler = new(options.Value.SpansPerSecond);

    public int MaxLinksPerSpan { get; } = options.Value.MaxLinksPerSpan;

    /// <summary>Whether a batch starting now gets a span: only when someone listens to the source, then within the rate.</summary>
    public bool ShouldSample(long timestamp) => ApiTracing.Source.HasListeners() && _sampler.TrySample(timestamp);
}
