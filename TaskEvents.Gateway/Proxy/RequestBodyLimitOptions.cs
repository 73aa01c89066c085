using System.ComponentModel.DataAnnotations;

namespace TaskEvents.Gateway.Proxy;

/// <summary>
/// The <c>RequestBodyLimit</c> section: the largest request body the gateway takes, the Api's own limit (1 MiB).
/// Enforced at the edge so an oversized body is a 413 here, not a race with the Api closing the connection (a 502).
/// </summary>
public sealed class RequestBodyLimitOptions
{
    public const string SectionName = "RequestBodyLimit";

    [Range(1, 1L << 30)]
    public long MaxBytes { get; set; } = 1024 * 1024;
}
