using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace TaskEvents.Api.Apis;

/// <summary>
/// Maps failures that are not the server's bug to honest answers: the database being unreachable is a
/// 503 with Retry-After (safe to retry with the same event_ids); data the database refuses is a 400.
/// </summary>
internal sealed partial class StoreExceptionHandler(IProblemDetailsService problems, ILogger<StoreExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request.", bad.Message),
            PostgresException { SqlState: var state } when state.StartsWith("22", StringComparison.Ordinal) =>
                (StatusCodes.Status400BadRequest, "The data cannot be stored.", ((PostgresException)exception).MessageText),
            NpgsqlException or TimeoutException or InvalidOperationException { InnerException: NpgsqlException } =>
                (StatusCodes.Status503ServiceUnavailable, "The event store is unavailable.", "Retry after a moment; appends are idempotent by event_id."),
            _ => (0, "", ""),
        };
        if (status == 0)
        {
            return false;
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            LogStoreUnavailable(exception.Message);
            httpContext.Response.Headers.RetryAfter = "1";
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(LogLevel.Warning, "Event store unavailable: {Reason}")]
    private partial void LogStoreUnavailable(string reason);
}
