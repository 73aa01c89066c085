using System.ComponentModel.DataAnnotations;
using System.Text;

namespace TaskEvents.ServiceDefaults.Authentication;

/// <summary>
/// The <c>Auth</c> section: how every service validates bearer tokens. Either an HS256 <see cref="SigningKey"/>
/// shared by the services (development and tests) or an OIDC <see cref="Authority"/> whose discovery document
/// supplies the issuer and the signing keys (production). Exactly one of the two is set.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string SectionName = "Auth";

    /// <summary>The smallest HS256 key accepted: 256 bits, as RFC 7518 requires.</summary>
    public const int MinSigningKeyBytes = 32;

    /// <summary>OIDC issuer URL (e.g. https://login.example.com/realms/taskevents); keys come from its JWKS.</summary>
    public string? Authority { get; set; }

    /// <summary>Refuse an authority whose metadata is served over plain HTTP. Only a local test IdP turns this off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The expected <c>iss</c>. Required with <see cref="SigningKey"/>; with an authority it defaults to the discovered one.</summary>
    public string? Issuer { get; set; }

    /// <summary>The expected <c>aud</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Audience { get; set; } = "taskevents";

    /// <summary>The HS256 key as text (UTF-8, at least 32 bytes). Never set in production configuration files.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Tolerance for clocks that disagree, applied to <c>exp</c> and <c>nbf</c>.</summary>
    [Range(0, 300)]
    public int ClockSkewSeconds { get; set; } = 30;

    public TimeSpan ClockSkew => TimeSpan.FromSeconds(ClockSkewSeconds);

    /// <summary>How many validated tokens are remembered (<see cref="CachingTokenHandler"/>); 0 validates every request in full.</summary>
    [Range(0, 1_000_000)]
    public int TokenCacheSize { get; set; } = 10_000;

    /// <summary>The longest a validated token is remembered (never past its expiry).</summary>
    [Range(1, 3600)]
    public int TokenCacheSeconds { get; set; } = 300;

    public bool UsesSigningKey => !string.IsNullOrEmpty(SigningKey);

    public byte[] SigningKeyBytes => Encoding.UTF8.GetBytes(SigningKey ?? "");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var hasAuthority = !string.IsNullOrWhiteSpace(Authority);
        if (hasAuthority == UsesSigningKey)
        {
            yield return new ValidationResult(
                "Set exactly one of Auth:SigningKey (HS256, development and tests) or Auth:Authority (OIDC, production).",
                [nameof(SigningKey), nameof(Authority)]);
            yield break;
        }

        if (UsesSigningKey)
        {
            if (SigningKeyBytes.Length < MinSigningKeyBytes)
            {
                yield return new ValidationResult($"Auth:SigningKey must be at least {MinSigningKeyBytes} bytes.", [nameof(SigningKey)]);
            }

            if (string.IsNullOrWhiteSpace(Issuer))
            {
                yield return new ValidationResult("Auth:Issuer is required with Auth:SigningKey.", [nameof(Issuer)]);
            }
        }
        else if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority)
            || (RequireHttpsMetadata && authority.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult("Auth:Authority must be an absolute https URL.", [nameof(Authority)]);
        }
    }
}
