using System.ComponentModel.DataAnnotations;

namespace TaskEvents.Gateway.DevTokens;

/// <summary>
/// The <c>DevTokens</c> section: <c>POST /auth/dev-token</c> hands out tokens signed with <c>Auth:SigningKey</c>
/// to anyone who asks, for the demo page and the emitter. On in Development, off unless configured elsewhere.
/// </summary>
public sealed class DevTokenOptions : IValidatableObject
{
    public const string SectionName = "DevTokens";

    public bool Enabled { get; set; }

    [Range(1, 86_400)]
    public int DefaultTtlSeconds { get; set; } = 3600;

    [Range(1, 86_400)]
    public int MaxTtlSeconds { get; set; } = 86_400;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DefaultTtlSeconds > MaxTtlSeconds)
        {
            yield return new ValidationResult("DevTokens:DefaultTtlSeconds cannot exceed DevTokens:MaxTtlSeconds.", [nameof(DefaultTtlSeconds)]);
        }
    }
}
