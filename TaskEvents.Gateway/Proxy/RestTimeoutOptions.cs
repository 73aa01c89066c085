using System.ComponentModel.DataAnnotations;

namespace TaskEvents.Gateway.Proxy;

/// <summary>
/// The <c>RestTimeout</c> section: how long a request may take end to end before the gateway answers 504.
/// Streams are exempt (their route disables timeouts); an idle upstream is caught by the cluster's ActivityTimeout.
/// </summary>
public sealed class RestTimeoutOptions
{
    public const string SectionName = "RestTimeout";

    [Range(0.1, 3600.0)]
    public double Seconds { get; set; } = 30;

    public TimeSpan Timeout => TimeSpan.FromSeconds(Seconds);
}
