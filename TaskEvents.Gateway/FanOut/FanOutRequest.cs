using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Primitives;
using TaskEvents.Contracts;
using TaskEvents.Gateway.Proxy;
using TaskEvents.ServiceDefaults.Authentication;
using TaskEvents.ServiceDefaults.Http;

namespace TaskEvents.Gateway.FanOut;

/// <summary>
/// A stream request the gateway can serve from a shared stream: <c>GET /sse/tasks/{task_id}/events</c> from an
/// authenticated caller of one tenant whose token is still valid, with a well-formed resume point. Anything else (or a
/// value the Api would refuse) is proxied as it came, so every refusal is the Api's own answer.
/// </summary>
/// <param name="LastSeq">The resume point: a valid <c>Last-Event-ID</c>, else <c>since_seq</c>, else 0 (as the Api reads them).</param>
/// <param name="Token">The bearer token the caller authenticated with: the shared stream may read with it.</param>
internal sealed record FanOutRequest(HubKey Key, long LastSeq, string Token, DateTimeOffset TokenExpiresAt)
{
    private const string SinceSeq = "since_seq";

    public static FanOutRequest? TryRead(HttpContext context, DateTimeOffset now)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method)
            || TaskIdOf(request.Path) is not { } taskId
            || TokenClaims.TenantOf(context.User) is not { } tenant
            || TokenClaims.ExpiresAt(context.User) is not { } expiresAt
            || expiresAt <= now
            || BearerToken(request) is not { } token
            || ResumePoint(request) is not { } lastSeq)
        {
            return null;
        }

        return new FanOutRequest(new HubKey(tenant, taskId, SharedQuery(request.Query)), lastSeq, token, expiresAt);
    }

    /// <summary>The path and query of the shared stream's request to an Api replica (the resume point goes as Last-Event-ID).</summary>
    public static string UpstreamPathAndQuery(HubKey key) =>
        $"{GatewayPaths.Streams}/tasks/{key.TaskId}/events{key.Query}";

    /// <summary>The task of <c>/sse/tasks/{task_id}/events</c>, or null for any other path.</summary>
    private static string? TaskIdOf(PathString path)
    {
        if (!path.StartsWithSegments(GatewayPaths.Streams + "/tasks", out var rest)
            || rest.Value is not { } value
            || value.Length <= "/".Length + "/events".Length
            || !value.EndsWith("/events", StringComparison.Ordinal))
        {
            return null;
        }

        // Only ids the Api accepts: they need no escaping, so the upstream path is the one the client sent.
        var taskId = value[1..^"/events".Length];
        return TaskIds.IsValid(taskId) ? taskId : null;
    }

    /// <summary>As JwtBearer took it: the Authorization header, else (on streams) a single <c>?access_token=</c>.</summary>
    private static string? BearerToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization;
        if (authorization.Count > 0)
        {
            return authorization.Count == 1 && authorization[0] is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? value["Bearer ".Length..].Trim()
                : null;
        }

        return request.Query.TryGetValue(AccessTokenTransformProvider.Parameter, out var query) && query.Count == 1 ? query[0] : null;
    }

    /// <summary>
    /// A valid Last-Event-ID wins over since_seq, as in the Api; either one malformed (the Api's 400) means no resume
    /// point here, so the request is proxied and refused there.
    /// </summary>
    private static long? ResumePoint(HttpRequest request)
    {
        long? lastSeq = 0;
        if (request.Query.TryGetValue(SinceSeq, out var sinceSeq))
        {
            lastSeq = Parse(sinceSeq);
        }

        if (lastSeq is not null && request.Headers.TryGetValue(EventStreamResponse.LastEventIdHeader, out var lastEventId))
        {
            lastSeq = Parse(lastEventId);
        }

        return lastSeq;
    }

    private static long? Parse(StringValues values) =>
        values.Count == 1 && long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null;

    /// <summary>The query without the resume point and the token, in a fixed order: equal for equal streams.</summary>
    private static string SharedQuery(IQueryCollection query)
    {
        var shared = new QueryBuilder();
        // Case-insensitively, as the query is read (a token sent as ?ACCESS_TOKEN= must not reach the hub's key or URL).
        foreach (var (name, values) in query
            .Where(p => !p.Key.Equals(SinceSeq, StringComparison.OrdinalIgnoreCase) && !p.Key.Equals(AccessTokenTransformProvider.Parameter, StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            shared.Add(name, values.ToArray()!);
        }

        return shared.ToQueryString().Value ?? "";
    }
}
