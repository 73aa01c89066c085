using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TaskEvents.Api.ChangeFeed;
using TaskEvents.Api.Events;
using TaskEvents.Api.Observability;
using TaskEvents.Api.Storage;
using TaskEvents.Api.Streaming;
using TaskEvents.ServiceDefaults.Authentication;
using TaskEvents.ServiceDefaults.Http;

namespace TaskEvents.Api.Apis;

/// <summary>The Server-Sent Events stream of a task and the stream service's health.</summary>
public static partial class SseApi
{
    public const string ServiceName = "task_events_sse";

    /// <remarks>
    /// The stream writes its response itself (frames, keepalives and control messages until the task ends, the token
    /// expires or the server stops), so its answers are declared here rather than told by a result type.
    /// </remarks>
    public static IEndpointRouteBuilder MapSseApi(this IEndpointRouteBuilder app)
    {
        var sse = app.MapGroup("/sse").WithTags("Streaming");
        sse.MapGet("/tasks/{task_id}/events", StreamEventsAsync).WithName("StreamEvents")
            .Produces(StatusCodes.Status200OK, contentType: EventStreamResponse.ContentType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireAuthorization(AuthPolicies.ReadEvents);
        sse.MapGet("/health", Health).WithName("StreamHealth");
        return app;
    }

    private static Ok<StreamHealthResponse> Health(ApiMetrics metrics, NotificationListener listener) => TypedResults.Ok(new StreamHealthResponse(
        Status: "ok",
        Service: ServiceName,
        Version: typeof(SseApi).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
        Protocol: "sse",
        ActiveConnections: metrics.ActiveConnections,
        Listener: listener.Mode.ToString().ToLowerInvariant()));

    private static async Task StreamEventsAsync(
        string task_id,
        HttpContext context,
        EventStore store,
        TaskTailRegistry tails,
        IOptions<SseOptions> options,
        ApiMetrics metrics,
        DeliverySpans deliverySpans,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggers)
    {
        var aborted = context.RequestAborted;

        // A stream lives no longer than its token. JwtBearer accepts a token up to Auth:ClockSkewSeconds past its exp;
        // a stream opened with one would end at once, so it is refused like any expired token.
        if (TokenClaims.ExpiresAt(context.User) is not { } tokenExpiresAt || tokenExpiresAt <= TimeProvider.System.GetUtcNow())
        {
            await Problems.TokenExpired(context.Response).ExecuteAsync(context);
            return;
        }

        if (TasksApi.InvalidTaskId(task_id) is { } invalid)
        {
            await invalid.ExecuteAsync(context);
            return;
        }

        var (parameters, errors) = ParseParameters(context.Request, options.Value);
        if (parameters is null)
        {
            await Problems.Invalid(errors).ExecuteAsync(context);
            return;
        }

        var key = new TaskKey(RequestTenant.Of(context), task_id);
        var task = await store.GetTaskAsync(key, aborted);
        if (task is null)
        {
            await Problems.TaskNotFound(task_id).ExecuteAsync(context);
            return;
        }

        if (parameters.SinceSeq > task.LastSeq)
        {
            await Problems.BadRequest("Resume point is beyond the task's last event.",
                $"Task '{task_id}' ends at seq {task.LastSeq}; the stream cannot resume after seq {parameters.SinceSeq}.").ExecuteAsync(context);
            return;
        }

        EventStreamResponse.Start(context.Response);
        metrics.StreamOpened();
        try
        {
            // Tenant and scope were decided above, from the token at open; only its expiry is watched from here on.
            using var cutoff = new StreamCutoff(lifetime.ApplicationStopping, tokenExpiresAt, TimeProvider.System);
            using var session = new EventStreamSession(
                key, parameters, new SseFrameWriter(context.Response.BodyWriter), store, tails, options.Value, metrics, deliverySpans);
            await session.RunAsync(task, aborted, cutoff);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client left.
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            // Headers are gone already: all that is left is to drop the connection so the client resumes elsewhere.
            LogStreamFailed(loggers.CreateLogger(typeof(SseApi)), key.ToString(), ex);
            context.Abort();
        }
        finally
        {
            metrics.StreamClosed();
        }
    }

    /// <summary>since_seq, batch_size and flush_interval with the seed's ranges; a valid Last-Event-ID wins over since_seq.</summary>
    private static (StreamParameters? Parameters, Dictionary<string, string[]> Errors) ParseParameters(HttpRequest request, SseOptions options)
    {
        var query = new QueryParameters(request.Query);
        var sinceSeq = query.Long("since_seq", 0, 0, long.MaxValue);
        var batchSize = query.Int("batch_size", options.BatchSize, SseOptions.MinBatchSize, SseOptions.MaxBatchSize);
        var flushInterval = query.Double("flush_interval", options.FlushInterval, SseOptions.MinFlushInterval, SseOptions.MaxFlushInterval);
        if (request.Headers.TryGetValue(EventStreamResponse.LastEventIdHeader, out var lastEventId))
        {
            if (lastEventId.Count == 1 && long.TryParse(lastEventId[0], NumberStyles.None, CultureInfo.InvariantCulture, out var resumeAfter))
            {
                sinceSeq = resumeAfter;
            }
            else
            {
                query.Errors[EventStreamResponse.LastEventIdHeader] = [$"{EventStreamResponse.LastEventIdHeader} must be the seq of the last event received (a non-negative integer)."];
            }
        }

        return query.Errors.Count > 0
            ? (null, query.Errors)
            : (new StreamParameters(sinceSeq, batchSize, TimeSpan.FromSeconds(flushInterval)), query.Errors);
    }

    [LoggerMessage(LogLevel.Warning, "Stream of task {Task} failed; closing the connection")]
    private static partial void LogStreamFailed(ILogger logger, string task, Exception exception);
}
