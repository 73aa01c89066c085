namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>
/// A mapped endpoint (or family of paths) of the Api or the gateway, as the fuzzer addresses it.
/// <paramref name="Path"/> holds <c>{task_id}</c> where a task id goes.
/// </summary>
public sealed record FuzzEndpoint(string Name, string Method, string Path, bool OnApi, bool OnGateway)
{
    public bool HasTaskId => Path.Contains("{task_id}", StringComparison.Ordinal);

    public bool HasBody => Method == "POST";

    public string PathFor(string taskId) => Path.Replace("{task_id}", taskId, StringComparison.Ordinal);

    public static readonly FuzzEndpoint CreateTask = new("POST /api/tasks", "POST", "/api/tasks", true, true);
    public static readonly FuzzEndpoint GetTask = new("GET /api/tasks/{task_id}", "GET", "/api/tasks/{task_id}", true, true);
    public static readonly FuzzEndpoint AppendEvents = new("POST /api/tasks/{task_id}/events", "POST", "/api/tasks/{task_id}/events", true, true);
    public static readonly FuzzEndpoint ReadEvents = new("GET /api/tasks/{task_id}/events", "GET", "/api/tasks/{task_id}/events", true, true);
    public static readonly FuzzEndpoint Stream = new("GET /sse/tasks/{task_id}/events", "GET", "/sse/tasks/{task_id}/events", true, true);
    public static readonly FuzzEndpoint StreamHealth = new("GET /sse/health", "GET", "/sse/health", true, true);
    public static readonly FuzzEndpoint Health = new("GET /health, /alive", "GET", "/health", true, true);
    public static readonly FuzzEndpoint Metrics = new("GET /metrics", "GET", "/metrics", true, true);
    public static readonly FuzzEndpoint OpenApi = new("GET /openapi/v1.json", "GET", "/openapi/v1.json", true, false);
    public static readonly FuzzEndpoint DevToken = new("POST /auth/dev-token", "POST", "/auth/dev-token", false, true);
    public static readonly FuzzEndpoint StaticFiles = new("GET static files (/, /demo_sse_streaming.html, /static/...)", "GET", "/demo_sse_streaming.html", false, true);
    public static readonly FuzzEndpoint Unmapped = new("any other path or method", "GET", "/", true, true);

    /// <summary>Every endpoint the two services map (enumerated from TasksApi, SseApi, MapDefaultEndpoints, MapOpenApi, DevTokenApi, static files), plus the rest.</summary>
    public static readonly IReadOnlyList<FuzzEndpoint> All =
        [CreateTask, GetTask, AppendEvents, ReadEvents, Stream, StreamHealth, Health, Metrics, OpenApi, DevToken, StaticFiles, Unmapped];
}
