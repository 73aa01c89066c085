using System.ComponentModel.DataAnnotations;

namespace TaskEvents.Api.Observability;

/// <summary>
/// The <c>DeliveryTracing</c> configuration section: how many delivery spans (<see cref="DeliveryTrace"/>) this process
/// records. At W1 a process flushes thousands of batches a second; a span for each would cost more than the delivery.
/// </summary>
public sealed class DeliveryTracingOptions
{
    public const string SectionName = "DeliveryTracing";

    /// <summary>At most this many delivered batches a second get a span, per Api process; 0 turns delivery spans off.</summary>
    [Range(0, 1_000_000)]
    public int SpansPerSecond { get; set; } = 10;

    /// <summary>Links to appends per delivery span (one per append in the batch); a batch of more appends links its first ones.</summary>
    [Range(1, 128)]
    public int MaxLinksPerSpan { get; set; } = 16;
}
