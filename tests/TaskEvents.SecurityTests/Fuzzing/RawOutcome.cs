namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>An answer, or what went wrong instead (dropped connection, hang).</summary>
public sealed record RawOutcome(RawResponse? Response, string? Failure)
{
    public static RawOutcome Answered(RawResponse response) => new(response, null);

    public static RawOutcome Failed(string failure) => new(null, failure);
}
