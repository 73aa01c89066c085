namespace TaskEvents.AppHost.Configuration;

/// <summary>Whether this run has the Aspire dashboard (tests and the load harness turn it off).</summary>
public static class DashboardChoice
{
    /// <summary>Aspire keeps the choice in its options, which it registers as a service.</summary>
    public static bool IsEnabled(IDistributedApplicationBuilder builder) =>
        builder.Services.FirstOrDefault(d => d.ServiceType == typeof(DistributedApplicationOptions))?.ImplementationInstance
            is not DistributedApplicationOptions { DisableDashboard: true };
}
