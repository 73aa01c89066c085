using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TaskEvents.Client.Http;
using TaskEvents.Client.Serialization;
using TaskEvents.Client.Streaming;

namespace TaskEvents.Client;

/// <summary>
/// Talks to the TaskEvents gateway (or an Api): creates tasks, appends events so that retries never duplicate them,
/// reads pages, and follows a task live with <see cref="SubscribeAsync"/>.
/// </summary>
/// <remarks>
/// The HttpClient must not carry a resilience handler or a timeout of its own: this client retries by itself
/// (bounded, with event ids that make repeats harmless) and holds streams open for hours. Use
/// <see cref="Create"/>, or register it with <c>services.AddTaskEventsClient(...)</c>.
/// </remarks>
public sealed class TaskEventsClient : IDisposable
{
    /// <summary>The most events one append request may carry.</summary>
    public const int MaxEventsPerAppend = 500;

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly bool _ownsHttpClient;
    private readonly TaskEventsClientOptions _options;
    private readonly TaskEventsRoutes _routes;
    private readonly RetryingRequestSender _sender;
    private readonly ILogger _logger;

    /// <param name="httpClient">Used for REST and streams alike; not disposed by this client.</param>
    public TaskEventsClient(HttpClient httpClient, TaskEventsClientOptions options, ILogger<TaskEventsClient>? logger = null)
        : this(httpClient, ownsHttpClient: false, options, logger)
    {
    }

    private TaskEventsClient(HttpClient httpClient, bool ownsHttpClient, TaskEventsClientOptions options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        var validation = new TaskEventsClientOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException($"Invalid TaskEventsClientOptions: {validation.FailureMessage}", nameof(options));
        }

        var baseAddress = options.BaseAddress ?? httpClient.BaseAddress
            ?? throw new ArgumentException("Set TaskEventsClientOptions.BaseAddress or the HttpClient's BaseAddress.", nameof(options));
        _http = httpClient;
        _ownsHttpClient = ownsHttpClient;
        _options = options;
        _routes = new TaskEventsRoutes(baseAddress);
        _logger = logger ?? NullLogger.Instance;
        _sender = new RetryingRequestSender(httpClient, options, _logger);
    }

    /// <summary>A client with its own HttpClient, made for streaming (see <see cref="CreateStreamingHttpClient"/>).</summary>
    public static TaskEventsClient Create(TaskEventsClientOptions options, ILogger<TaskEventsClient>? logger = null) =>
        new(CreateStreamingHttpClient(), ownsHttpClient: true, options, logger);

    /// <summary>
    /// An HttpClient fit for this client: no overall timeout (the client bounds each REST attempt itself and
    /// watches streams with its heartbeat watchdog) and pooled connections renewed every few minutes so DNS changes are seen.
    /// </summary>
    public static HttpClient CreateStreamingHttpClient() =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>
    /// Creates a task. Without <paramref name="taskId"/> the client picks one (<c>task-…</c>) before the first attempt, so a
    /// retried create cannot make two tasks; a create whose first answer was lost returns the task it made.
    /// </summary>
    /// <exception cref="TaskAlreadyExistsException">Another producer created a task with this id.</exception>
    public async Task<TaskInfo> CreateTaskAsync(string? taskId = null, JsonElement? metadata = null, CancellationToken cancellationToken = default)
    {
        var id = taskId ?? $"task-{Guid.CreateVersion7():N}";
        var body = JsonSerializer.SerializeToUtf8Bytes(new CreateTaskRequestBody(id, metadata), TaskEventsJsonContext.Default.CreateTaskRequestBody);
        var target = new RequestTarget(RequestKind.CreateTask, id);
        using var sent = await _sender.SendAsync(() => Post(_routes.Tasks(), body), target, cancellationToken, HttpStatusCode.Conflict);
        if (sent.Message.StatusCode != HttpStatusCode.Conflict)
        {
            return await ReadJsonAsync(sent.Message, TaskEventsJsonContext.Default.TaskInfo, cancellationToken);
        }

        if (!sent.WasRetried)
        {
            throw await ErrorResponses.ToExceptionAsync(sent.Message, target, cancellationToken);
        }

        // An earlier attempt whose answer was lost created it.
        return await GetTaskAsync(id, cancellationToken);
    }

    public async Task<TaskInfo> GetTaskAsync(string taskId, CancellationToken cancellationToken = default)
    {
        using var sent = await _sender.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, _routes.Task(taskId)), new RequestTarget(RequestKind.ReadTask, taskId), cancellationToken);
        return await ReadJsonAsync(sent.Message, TaskEventsJsonContext.Default.TaskInfo, cancellationToken);
    }

    /// <inheritdoc cref="AppendAsync(string, IReadOnlyList{NewTaskEvent}, CancellationToken)"/>
    public Task<AppendResult> AppendAsync(string taskId, NewTaskEvent newEvent, CancellationToken cancellationToken = default) =>
        AppendAsync(taskId, [newEvent], cancellationToken);

    /// <summary>
    /// Appends events atomically, in order. Each event without an id gets one before the first attempt, so when an
    /// attempt's answer is lost and the request is retried, the server recognises the repeats and stores nothing twice.
    /// </summary>
    /// <exception cref="TaskEndedException">The task has ended.</exception>
    /// <exception cref="TaskNotFoundException">There is no such task.</exception>
    /// <exception cref="TaskEventsUnavailableException">Every attempt failed; retrying later with the same events is safe.</exception>
    public async Task<AppendResult> AppendAsync(string taskId, IReadOnlyList<NewTaskEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfZero(events.Count, nameof(events));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(events.Count, MaxEventsPerAppend, nameof(events));
        var identified = events.Select(e => e.EventId is null ? e with { EventId = Guid.CreateVersion7().ToString() } : e).ToArray();
        var body = JsonSerializer.SerializeToUtf8Bytes(new AppendRequestBody(identified), TaskEventsJsonContext.Default.AppendRequestBody);
        using var sent = await _sender.SendAsync(() => Post(_routes.Events(taskId), body), new RequestTarget(RequestKind.Append, taskId), cancellationToken);
        return await ReadJsonAsync(sent.Message, TaskEventsJsonContext.Default.AppendResult, cancellationToken);
    }

    /// <summary>One page of events after <paramref name="sinceSeq"/> (at most <paramref name="limit"/>, 1 to 1000).</summary>
    public async Task<EventPage> GetEventsAsync(string taskId, long sinceSeq = 0, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sinceSeq);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        using var sent = await _sender.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, _routes.EventPage(taskId, sinceSeq, limit)),
            new RequestTarget(RequestKind.ReadEvents, taskId),
            cancellationToken);
        return await ReadJsonAsync(sent.Message, TaskEventsJsonContext.Default.EventPage, cancellationToken);
    }

    /// <summary>
    /// Follows the task live from after <paramref name="sinceSeq"/>: every event exactly once, in seq order, across
    /// reconnects. Completes when the task has ended and its last event was yielded.
    /// </summary>
    /// <exception cref="TaskNotFoundException">There is no such task.</exception>
    /// <exception cref="TaskEventsAuthenticationException">401, after one token refresh.</exception>
    /// <exception cref="TaskEventsForbiddenException">403.</exception>
    public IAsyncEnumerable<TaskEvent> SubscribeAsync(string taskId, long sinceSeq = 0, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        ArgumentOutOfRangeException.ThrowIfNegative(sinceSeq);
        var subscription = new EventSubscription(
            _http, _options, _routes, (since, limit, ct) => GetEventsAsync(taskId, since, limit, ct), _logger, taskId, sinceSeq);
        return subscription.ReadAsync(cancellationToken);
    }

    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _http.Dispose();
        }
    }

    private static HttpRequestMessage Post(Uri uri, byte[] body) => new(HttpMethod.Post, uri)
    {
        Content = new ByteArrayContent(body) { Headers = { ContentType = JsonMediaType } },
    };

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync(body, type, cancellationToken)
            ?? throw new TaskEventsException($"The server answered {(int)response.StatusCode} with an empty body.", response.StatusCode);
    }
}
