using System.ComponentModel.DataAnnotations;

namespace TaskEvents.Gateway.Security;

/// <summary>
/// The <c>Cors</c> section: the origins (<c>https://app.example.com</c>, no path) whose pages may call the gateway.
/// Empty by default: same-origin only. Tokens travel in headers or the stream URL, never cookies, so no credentials.
/// </summary>
public sealed class CorsAllowlistOptions : IValidatableObject
{
    public const string SectionName = "Cors";

    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>How long a browser may cache a preflight answer.</summary>
    [Range(0, 86_400)]
    public int PreflightMaxAgeSeconds { get; set; } = 600;

    public TimeSpan PreflightMaxAge => TimeSpan.FromSeconds(PreflightMaxAgeSeconds);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https")
                || !string.Equals(origin, uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
            {
                yield return new ValidationResult($"Cors:AllowedOrigins entry '{origin}' is not an origin such as https://app.example.com.",
                    [nameof(AllowedOrigins)]);
            }
        }
    }
}
