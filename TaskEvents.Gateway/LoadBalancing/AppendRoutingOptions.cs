using System.ComponentModel.DataAnnotations;

namespace TaskEvents.Gateway.LoadBalancing;

/// <summary>The <c>AppendRouting</c> section: when, and for how long, the replica taking every append is passed over for the next one.</summary>
public sealed class AppendRoutingOptions
{
    public const string SectionName = "AppendRouting";

    /// <summary>
    /// A replica with appends in flight that has answered none for this long gets no new appends, and is asked
    /// <c>GET /alive</c> (given as long again to answer); if it does not answer and another replica does, its waiting
    /// appends go there. Under load an append takes milliseconds; a frozen or cut-off replica answers nothing at all.
    /// </summary>
    [Range(0.05, 60.0)]
    public double StallSeconds { get; set; } = 1.0;

    /// <summary>
    /// How long a replica that stalled gets no appends (unless it answers one still in flight); then the next append is
    /// sent to it again, and if it is still stalled that one is sent on after <see cref="StallSeconds"/>.
    /// </summary>
    [Range(0.1, 3600.0)]
    public double PassOverSeconds { get; set; } = 10.0;

    public TimeSpan StallThreshold => TimeSpan.FromSeconds(StallSeconds);

    public TimeSpan PassOverPeriod => TimeSpan.FromSeconds(PassOverSeconds);
}
