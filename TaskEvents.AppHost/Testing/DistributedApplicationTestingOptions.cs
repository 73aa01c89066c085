namespace TaskEvents.AppHost.Testing;

/// <summary>What a test may change about how the harness runs the app model (Aspire's <c>DistributedApplicationOptions</c>).</summary>
public sealed class DistributedApplicationTestingOptions
{
    /// <summary>
    /// Tests run without the dashboard unless they test it; with it, it listens on a free port and
    /// <see cref="Hosting.DistributedApplication.DashboardLoginUrl"/> says where.
    /// </summary>
    public bool DisableDashboard { get; set; } = true;
}
