using System.ComponentModel.DataAnnotations;

namespace TaskEvents.Gateway.LoadBalancing;

/// <summary>The <c>AppendRouting</c> section: when the replica taking every append is passed over for the next one.</summary>
public sealed class AppendRoutingOptions
{
    public const string SectionName = "AppendRouting";

    /// <summary>
    /// A replica with appends in flight that has answered none for this long is passed over until it answers one. Under
    /// load an append takes milliseconds; a frozen or cut-off replica answers nothing at all.
    /// </summary>
    [Range(0.05, 60.0)]
    public double StallSeconds { get; set; } = 1.0;

    public TimeSpan StallThreshold => TimeSpan.FromSeconds(StallSeconds);
}
