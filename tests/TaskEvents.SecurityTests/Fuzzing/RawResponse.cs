using System.Text;

namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>A response as it crossed the wire; <paramref name="StreamOpened"/> when it was an event stream (head only).</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body, bool StreamOpened)
{
    public string? ContentType => Headers.TryGetValue("Content-Type", out var type) ? type : null;

    public string BodyText => Encoding.UTF8.GetString(Body);

    public bool IsProblemJson => ContentType?.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Kestrel's own refusal of a request it could not parse or accept (405 for a target form the method does not allow): a bare status, no body, no app involved.</summary>
    public bool IsServerProtocolRefusal => Status is 400 or 405 or 413 or 414 or 431 && Body.Length == 0 && ContentType is null;
}
