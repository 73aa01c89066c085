using System.ComponentModel.DataAnnotations;

namespace TaskEvents.AppHost.Hosting;

/// <summary>The <c>AppHost</c> section (appsettings.json, <c>AppHost__*</c> variables, <c>--AppHost:*</c> arguments).</summary>
public sealed class AppHostOptions
{
    public const string SectionName = "AppHost";

    /// <summary>Where the AppHost keeps PostgreSQL's data and its run state; see <see cref="DataDirectories"/> for the default.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>The environment the services run in; Development gives them the dev signing key and dev tokens.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Environment { get; set; } = "Development";

    public bool DashboardEnabled { get; set; } = true;

    [Range(0, 65535)]
    public int DashboardPort { get; set; } = 18888;

    /// <summary>The dashboard login token; a random one per run when not set.</summary>
    public string? DashboardToken { get; set; }

    /// <summary>Give fixed ports (the gateway's 8000, the dashboard's 18888) a free port instead: what tests need to run side by side.</summary>
    public bool RandomizePorts { get; set; }

    /// <summary>A throwaway PostgreSQL cluster (temp folder, no fsync) deleted at shutdown, instead of the persistent one.</summary>
    public bool TemporaryDatabase { get; set; }

    /// <summary>Sent to every service as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> when set.</summary>
    [Url]
    public string? OtlpEndpoint { get; set; }

    [Range(1, 600)]
    public int StartupTimeoutSeconds { get; set; } = 120;

    /// <summary>How long a child gets between SIGTERM and SIGKILL.</summary>
    [Range(1, 120)]
    public int ShutdownTimeoutSeconds { get; set; } = 8;

    [Range(0.1, 60)]
    public double HealthCheckIntervalSeconds { get; set; } = 2;

    public TimeSpan StartupTimeout => TimeSpan.FromSeconds(StartupTimeoutSeconds);

    public TimeSpan ShutdownTimeout => TimeSpan.FromSeconds(ShutdownTimeoutSeconds);

    public TimeSpan HealthCheckInterval => TimeSpan.FromSeconds(HealthCheckIntervalSeconds);
}
