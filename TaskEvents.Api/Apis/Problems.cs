using Microsoft.AspNetCore.Http.HttpResults;

namespace TaskEvents.Api.Apis;

/// <summary>The RFC 9457 problem responses the Api answers with, so each kind reads the same everywhere.</summary>
internal static class Problems
{
    public static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status400BadRequest);

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is invalid.");

    /// <summary>401 for a token that has no time left, with the challenge a bearer client expects (RFC 6750).</summary>
    public static ProblemHttpResult TokenExpired(HttpResponse response)
    {
        response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\", error_description=\"The token expired\"";
        return TypedResults.Problem(title: "Authentication required.", detail: "The token has expired; send a fresh one.",
            statusCode: StatusCodes.Status401Unauthorized);
    }

    public static ProblemHttpResult TaskNotFound(string taskId) =>
        TypedResults.Problem(title: "Task not found.", detail: $"There is no task '{taskId}'.", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static ProblemHttpResult PayloadTooLarge(long maxBytes) =>
        TypedResults.Problem(title: "The request body is too large.", detail: $"At most {maxBytes} bytes are accepted.",
            statusCode: StatusCodes.Status413PayloadTooLarge);

    public static ProblemHttpResult UnsupportedMediaType() =>
        TypedResults.Problem(title: "Unsupported media type.", detail: "Send the body as application/json.",
            statusCode: StatusCodes.Status415UnsupportedMediaType);
}
