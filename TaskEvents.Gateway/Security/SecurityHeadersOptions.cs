using System.ComponentModel.DataAnnotations;

namespace TaskEvents.Gateway.Security;

/// <summary>The <c>SecurityHeaders</c> section: what every response from the gateway carries, and HSTS.</summary>
public sealed class SecurityHeadersOptions
{
    public const string SectionName = "SecurityHeaders";

    /// <summary>Scripts, styles and connections only from the gateway itself; no framing, no plugins.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ContentSecurityPolicy { get; set; } =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>no-referrer: a stream URL may carry a token, and must not leak through Referer.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ReferrerPolicy { get; set; } = "no-referrer";

    /// <summary>Redirect HTTP to HTTPS and send Strict-Transport-Security. Needs an HTTPS endpoint (Kestrel:Endpoints).</summary>
    public bool Hsts { get; set; }

    [Range(1, 730)]
    public int HstsMaxAgeDays { get; set; } = 365;

    public TimeSpan HstsMaxAge => TimeSpan.FromDays(HstsMaxAgeDays);

    public bool HstsIncludeSubDomains { get; set; }
}
