using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TaskEvents.Api.Events;
using TaskEvents.Api.Observability;
using TaskEvents.Api.Storage;
using TaskEvents.ServiceDefaults.Authentication;

namespace TaskEvents.Api.Apis;

/// <summary>REST under <c>/api/tasks</c>: create and read tasks, append and page through events.</summary>
public static class TasksApi
{
    private const string TaskIdRule = $"task_id must match {EventRules.TaskIdPattern}.";

    /// <remarks>
    /// Each handler's result type documents its answers in /openapi/v1.json; problems whose status a handler picks at
    /// run time (<see cref="ProblemHttpResult"/>), and those answered before or around the handlers, are declared beside it.
    /// </remarks>
    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tasks").WithTags("Tasks")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/", CreateTaskAsync).WithName("CreateTask").RequireAuthorization(AuthPolicies.WriteEvents)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapGet("/{task_id}", GetTaskAsync).WithName("GetTask").RequireAuthorization(AuthPolicies.ReadEvents)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{task_id}/events", AppendEventsAsync).WithName("AppendEvents").RequireAuthorization(AuthPolicies.WriteEvents)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapGet("/{task_id}/events", ReadEventsAsync).WithName("ReadEvents").RequireAuthorization(AuthPolicies.ReadEvents)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<TaskResponse>, ValidationProblem, ProblemHttpResult>> CreateTaskAsync(HttpContext context, EventStore store, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(context.Request, EventRules.MaxRequestBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (body)
        {
            return await CreateFromBodyAsync(context, store, body, cancellationToken);
        }
    }

    private static async Task<Results<Created<TaskResponse>, ValidationProblem, ProblemHttpResult>> CreateFromBodyAsync(HttpContext context, EventStore store, JsonDocument? body, CancellationToken cancellationToken)
    {
        string? taskId;
        string? metadata;
        Dictionary<string, string[]> errors;
        try
        {
            (taskId, metadata, errors) = ParseCreateBody(body);
        }
        catch (InvalidOperationException)
        {
            // Only JSON reading happens inside: System.Text.Json refuses escaped unpaired surrogates.
            return UnstorableText();
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        taskId ??= $"task-{Guid.CreateVersion7():N}";
        var created = await store.CreateTaskAsync(new TaskKey(RequestTenant.Of(context), taskId), metadata, cancellationToken);
        if (created is null)
        {
            return Problems.Conflict("Task already exists.", $"A task '{taskId}' already exists.");
        }

        return TypedResults.Created($"/api/tasks/{Uri.EscapeDataString(taskId)}", TaskResponse.From(created));
    }

    private static (string? TaskId, string? Metadata, Dictionary<string, string[]> Errors) ParseCreateBody(JsonDocument? body)
    {
        var errors = new Dictionary<string, string[]>();
        string? taskId = null;
        string? metadata = null;
        if (body is null)
        {
            return (taskId, metadata, errors);
        }

        var root = body.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["The body must be a JSON object: {\"task_id\"?, \"metadata\"?}."];
            return (taskId, metadata, errors);
        }

        foreach (var property in root.EnumerateObject().Where(p => p.Name is not ("task_id" or "metadata")))
        {
            errors[property.Name] = ["Unknown field."];
        }

        if (root.TryGetProperty("task_id", out var id) && id.ValueKind != JsonValueKind.Null)
        {
            taskId = id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            if (taskId is null || !EventRules.TaskId().IsMatch(taskId))
            {
                errors["task_id"] = [TaskIdRule];
            }
        }

        metadata = AppendRequestParser.JsonObjectText(root, "metadata", "$", errors, EventRules.MaxPayloadBytes);
        return (taskId, metadata, errors);
    }

    private static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> GetTaskAsync(string task_id, HttpContext context, EventStore store, CancellationToken cancellationToken)
    {
        if (InvalidTaskId(task_id) is { } invalid)
        {
            return invalid;
        }

        var task = await store.GetTaskAsync(new TaskKey(RequestTenant.Of(context), task_id), cancellationToken);
        if (task is null)
        {
            return Problems.TaskNotFound(task_id);
        }

        return TypedResults.Ok(TaskResponse.From(task));
    }

    private static async Task<Results<Created<AppendResponse>, Ok<AppendResponse>, ValidationProblem, ProblemHttpResult>> AppendEventsAsync(
        string task_id, HttpContext context, AppendWriter appends, ApiMetrics metrics, CancellationToken cancellationToken)
    {
        if (InvalidTaskId(task_id) is { } invalid)
        {
            return invalid;
        }

        var (body, problem) = await JsonBody.ReadAsync(context.Request, EventRules.MaxRequestBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body is null)
        {
            return Problems.BadRequest("The request body is empty.", "Send one event object or {\"events\": [...]}.");
        }

        using (body)
        {
            List<NewEvent> events;
            Dictionary<string, string[]> errors;
            try
            {
                (events, errors) = AppendRequestParser.Parse(body.RootElement);
            }
            catch (InvalidOperationException)
            {
                // Only JSON reading happens inside: System.Text.Json refuses escaped unpaired surrogates.
                return UnstorableText();
            }

            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }

            var outcome = await appends.AppendAsync(new TaskKey(RequestTenant.Of(context), task_id), events);
            switch (outcome)
            {
                case AppendOutcome.Appended appended:
                    var stored = appended.Events.Count(e => !e.Duplicate);
                    metrics.EventsAppended(stored);
                    var response = new AppendResponse(task_id, appended.LastSeq, appended.Events);
                    // A pure retry stored nothing new: 200 says so, 201 says something was created.
                    if (stored > 0)
                    {
                        return TypedResults.Created($"/api/tasks/{Uri.EscapeDataString(task_id)}/events", response);
                    }

                    return TypedResults.Ok(response);
                case AppendOutcome.TaskClosed closed:
                    return Problems.Conflict("Task has ended.", $"Task '{task_id}' is {closed.Status}; it accepts no more events.");
                default:
                    return Problems.TaskNotFound(task_id);
            }
        }
    }

    private static async Task<Results<EventPageResult, ValidationProblem, ProblemHttpResult>> ReadEventsAsync(string task_id, HttpContext context, EventStore store, CancellationToken cancellationToken)
    {
        if (InvalidTaskId(task_id) is { } invalid)
        {
            return invalid;
        }

        var query = new QueryParameters(context.Request.Query);
        var sinceSeq = query.Long("since_seq", 0, 0, long.MaxValue);
        var limit = query.Int("limit", EventRules.DefaultReadLimit, 1, EventRules.MaxReadLimit);
        if (query.Errors.Count > 0)
        {
            return Problems.Invalid(query.Errors);
        }

        var key = new TaskKey(RequestTenant.Of(context), task_id);
        if (await store.GetTaskAsync(key, cancellationToken) is null)
        {
            return Problems.TaskNotFound(task_id);
        }

        // One more than asked tells whether more exist without claiming so when exactly `limit` remain.
        var events = await store.ReadEventsAsync(key, sinceSeq, limit + 1, cancellationToken);
        var hasMore = events.Count > limit;
        var page = hasMore ? events.GetRange(0, limit) : events;
        return new EventPageResult(task_id, page, hasMore, page.Count > 0 ? page[^1].Seq : sinceSeq);
    }

    /// <summary>System.Text.Json refuses to decode a name or string holding an escaped unpaired surrogate.</summary>
    private static ProblemHttpResult UnstorableText() =>
        Problems.BadRequest("The request body cannot be stored.", "A field name or string holds an unpaired surrogate (for example \\ud800).");

    /// <summary>A task id that cannot exist is a malformed request, not a missing task.</summary>
    internal static ProblemHttpResult? InvalidTaskId(string taskId) => EventRules.TaskId().IsMatch(taskId)
        ? null
        : Problems.BadRequest("Invalid task_id.", TaskIdRule);
}
