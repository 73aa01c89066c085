using TaskEvents.ServiceDefaults.Authentication;

namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>
/// The rules every answer to a fuzz input must keep: an answer (no drop, no hang), never 5xx, 4xx as problem+json
/// unless Kestrel refused the request itself, success only where the input may in fact be valid, no secrets.
/// </summary>
public static class FuzzVerdict
{
    private static readonly string[] Secrets = [TestTokens.SigningKey, DevelopmentAuth.SigningKey, "ConnectionStrings", "Password="];

    public static string? Judge(FuzzEndpoint endpoint, FuzzRequest request, RawOutcome outcome)
    {
        if (outcome.Response is not { } response)
        {
            return outcome.Failure;
        }

        var status = response.Status;
        if (status >= 500)
        {
            return $"answered {status}: {Shorten(response.BodyText)}";
        }

        if (status >= 200 && status < 300 && Secrets.FirstOrDefault(s => response.BodyText.Contains(s, StringComparison.Ordinal)) is { } secret)
        {
            return $"answered {status} with a secret in the body ({secret})";
        }

        return status switch
        {
            >= 400 when response.IsServerProtocolRefusal => null,
            >= 400 when request.Method == "HEAD" => null,
            >= 400 when !response.IsProblemJson => $"answered {status} as '{response.ContentType}', not problem+json: {Shorten(response.BodyText)}",
            >= 400 => null,
            >= 300 when endpoint == FuzzEndpoint.StaticFiles || endpoint == FuzzEndpoint.Unmapped => null,
            201 when endpoint == FuzzEndpoint.CreateTask => null,
            201 when endpoint == FuzzEndpoint.AppendEvents => $"stored events from a fuzz input: {Shorten(response.BodyText)}",
            // A read, a stream, a health probe, a dev token, an idempotent retry on the ended task: valid inputs change nothing.
            >= 200 and < 300 => null,
            _ => $"answered {status}",
        };
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
