using System.Net;
using System.Text.Json;
using TaskEvents.Client.Serialization;

namespace TaskEvents.Client.Http;

/// <summary>Turns a refusal into the typed exception for its status, with the server's problem title and detail in one line.</summary>
internal static class ErrorResponses
{
    public static async Task<TaskEventsException> ToExceptionAsync(HttpResponseMessage response, RequestTarget target, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var message = $"{target.Describe()} failed: {(int)status} {await ExplainAsync(response, cancellationToken)}";
        return status switch
        {
            HttpStatusCode.Unauthorized => new TaskEventsAuthenticationException(message, status),
            HttpStatusCode.Forbidden => new TaskEventsForbiddenException(message, status),
            HttpStatusCode.NotFound => new TaskNotFoundException(message, status),
            HttpStatusCode.Conflict when target.Kind == RequestKind.CreateTask => new TaskAlreadyExistsException(message, status),
            HttpStatusCode.Conflict when target.Kind == RequestKind.Append => new TaskEndedException(message, status),
            _ => new TaskEventsException(message, status),
        };
    }

    private static async Task<string> ExplainAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var fallback = response.ReasonPhrase ?? response.StatusCode.ToString();
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.Content.Headers.ContentType?.MediaType is { } mediaType && mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase)
                && JsonSerializer.Deserialize(text, TaskEventsJsonContext.Default.ProblemBody) is { } problem
                && (problem.Title ?? problem.Detail) is not null)
            {
                return string.Join(' ', new[] { problem.Title, problem.Detail }.Where(part => !string.IsNullOrWhiteSpace(part)));
            }
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException or IOException)
        {
            // An unreadable error body still has its status line.
        }

        return fallback;
    }
}
