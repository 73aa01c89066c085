using System.Text;

namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>
/// Generates the inputs for one endpoint from a seed: the same seed, endpoint and count give the same requests,
/// so a failure is found again by running with <c>TASKEVENTS_FUZZ_SEED</c> set to the printed seed.
/// </summary>
public sealed class FuzzInputs(FuzzEndpoint endpoint, string token, FuzzTasks tasks, int seed)
{
    private static readonly byte[] AppendSeed = Raw.Bytes(
        "{\"event_id\":\"fuzz-done-end\",\"event_type\":\"step\",\"phase\":\"p\",\"actor\":\"a\",\"span_id\":\"s\",\"parent_span_id\":\"q\"," +
        "\"payload\":{\"k\":[1,2.5,\"x\",null,true],\"n\":{\"m\":\"v\"}}}");

    private static readonly byte[] BatchSeed = Raw.Bytes(
        "{\"events\":[{\"event_type\":\"step\",\"payload\":{\"a\":1}},{\"event_id\":\"e2\",\"event_type\":\"task_completed\"}]}");

    private static readonly byte[] CreateSeed = Raw.Bytes("{\"task_id\":\"fuzz-open\",\"metadata\":{\"k\":\"v\",\"n\":[1,2]}}");

    private static readonly byte[] DevTokenSeed = Raw.Bytes("{\"tenant\":\"acme\",\"scopes\":[\"events:read\",\"events:write\"],\"ttl_seconds\":60,\"sub\":\"fuzzer\"}");

    private static readonly string[] Methods = ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "CONNECT", "FOO", "get", "POST", "GET", "PROPFIND", "GET\u00ff"];

    private readonly Random _random = new(seed ^ StableHash(endpoint.Name));

    public List<FuzzRequest> Generate(int count)
    {
        var families = Families();
        return Enumerable.Range(0, count).Select(i => families[i % families.Length]()).ToList();
    }

    private Func<FuzzRequest>[] Families()
    {
        if (endpoint == FuzzEndpoint.Unmapped)
        {
            return [UnmappedRequest, UnmappedRequest, PathRequest, TargetMutation];
        }

        List<Func<FuzzRequest>> families = [QueryRequest, PathRequest, HeaderRequest, TargetMutation];
        if (endpoint.HasBody)
        {
            families.AddRange([InvalidBody, InvalidBody, WrongContentType, BodyMutation, BodyMutation, FramingBody]);
        }

        return [.. families];
    }

    private FuzzRequest QueryRequest()
    {
        var parameters = new List<string>();
        if (_random.Next(20) == 0)
        {
            // Thousands of parameters: past the request line limit.
            parameters.AddRange(Enumerable.Range(0, 3000).Select(i => $"since_seq={i}"));
        }
        else
        {
            for (var i = _random.Next(1, 5); i > 0; i--)
            {
                var name = Pick(HostileValues.QueryNames);
                var value = Pick(HostileValues.Numbers);
                parameters.Add($"{name}={value}");
                if (_random.Next(4) == 0)
                {
                    parameters.Add($"{name}={Pick(HostileValues.Numbers)}");
                }
            }
        }

        return Request("query", $"{PathWithTask()}?{string.Join('&', parameters)}", DefaultHeaders(), DefaultBody());
    }

    private FuzzRequest PathRequest()
    {
        string path;
        if (endpoint.HasTaskId)
        {
            var segment = _random.Next(3) == 0 ? RandomSegment() : Pick(HostileValues.PathSegments);
            path = endpoint.PathFor(segment);
        }
        else
        {
            string[] suffixes = ["/", "//", "/..", "/%2e%2e", "/..%2f..%2fappsettings.json", "%2f", "%00", "/x", ";x", "%20", ".json", "/../alive", "/%2e%2e/%2e%2e/TaskEvents.Gateway.dll"];
            path = endpoint == FuzzEndpoint.StaticFiles
                ? Pick(["/", "/index.html", "/static/js/services/EventStreamService.js", "/static/../appsettings.json", "/static/%2e%2e/appsettings.json",
                    "/%2e%2e/%2e%2e/etc/passwd", "/static//js//components/ConnectionStatus.js", "/STATIC/JS/", "/static/js/%00.js", "/favicon.svg%00.html",
                    "/..\\appsettings.json", "/static/js/services/EventStreamService.js.map", "/appsettings.Development.json", "/.git/config", "/web.config"])
                    + (_random.Next(3) == 0 ? Pick(suffixes) : "")
                : endpoint.Path + Pick(suffixes);
        }

        return Request("path", path, DefaultHeaders(), DefaultBody());
    }

    private FuzzRequest HeaderRequest()
    {
        var headers = DefaultHeaders();
        switch (_random.Next(12))
        {
            case 0:
            case 1:
                headers.Add(new("Last-Event-ID", Pick(HostileValues.LastEventIds)));
                if (_random.Next(2) == 0)
                {
                    headers.Add(new("Last-Event-ID", Pick(HostileValues.LastEventIds)));
                }

                break;
            case 2:
            case 3:
                headers.RemoveAll(h => h.Key == "Authorization");
                headers.Add(new("Authorization", Pick(HostileValues.BadAuthorizations(token))));
                if (_random.Next(3) == 0)
                {
                    headers.Add(new("Authorization", Pick(HostileValues.BadAuthorizations(token))));
                }

                break;
            case 4:
                headers.Add(new("X-Huge", new string('h', _random.Next(2) == 0 ? 40 * 1024 : 30 * 1024)));
                break;
            case 5:
                headers.AddRange(Enumerable.Range(0, _random.Next(50, 200)).Select(i => new KeyValuePair<string, string>($"X-Many-{i}", new string('m', 300))));
                break;
            case 6:
                headers.Add(new("Cookie", string.Join("; ", Enumerable.Range(0, 500).Select(i => $"c{i}={i}"))));
                break;
            case 7:
                headers.Add(Pick<KeyValuePair<string, string>>([
                    new("Host", "evil.example.com"), new("Host", ""), new("Host", "a b"), new("X-Forwarded-For", "not-an-ip, ::1, 999.1.1.1"),
                    new("X-Forwarded-Host", "evil.example.com"), new("X-Forwarded-Proto", "gopher"), new("Origin", "null"),
                    new("Accept", "text/event-stream;q=abc, */*;q=-1"), new("Accept", "application/openmetrics-text; version=9.9.9"),
                    new("Accept", "application/openmetrics-text; version="), new("Accept", "\u00ff"), new("Accept-Encoding", "gzip;q=x, br, zstd, *"),
                    new("Expect", "100-continue"), new("Expect", "bogus"), new("Range", "bytes=0-0,-1,5-"), new("Range", "bytes=99999999999999999999-"),
                    new("If-None-Match", "\"x\", *"), new("If-Modified-Since", "not a date"), new("Upgrade", "websocket"), new("Connection", "Upgrade, keep-alive"),
                    new("Traceparent", "00-zzzz-zzzz-01"), new("Traceparent", "00-" + new string('0', 32) + "-" + new string('0', 16) + "-ff"),
                    new("Baggage", new string(',', 8000)), new("Tracestate", string.Join(",", Enumerable.Range(0, 100).Select(i => $"k{i}=v"))),
                ]));
                break;
            case 8:
                // Framing headers that disagree: smuggling attempts.
                return Request("header", PathWithTask(), [.. headers, new("Content-Length", "5"), new("Transfer-Encoding", "chunked")], Raw.Bytes("0\r\n\r\n"), frameBody: false);
            case 9:
                return Request("header", PathWithTask(), [.. headers, new("Content-Length", Pick(["-1", "abc", "1, 2", "99999999999999999999", " 3"]))], Raw.Bytes("{}"), frameBody: false);
            case 10:
                headers.Add(new(Pick(["Bad Name", "X-\u00ff", "X:Colon", "(", ""]), "v"));
                break;
            default:
                headers.Add(new("X-Folded", "a\r\n continued"));
                break;
        }

        return Request("header", PathWithTask(), headers, DefaultBody());
    }

    private FuzzRequest TargetMutation() =>
        Request("mutated target", BodyMutator.MutateTarget(PathWithTask() + (_random.Next(2) == 0 ? "?since_seq=1&limit=5" : ""), _random),
            DefaultHeaders(), DefaultBody());

    private FuzzRequest InvalidBody()
    {
        var all = HostileValues.InvalidJsonBodies;
        var (_, body) = all[_random.Next(all.Count)];
        // Invalid whatever the task: aimed at the running task, where an accepted body would show up as stored data.
        if (_random.Next(5) == 0)
        {
            // The same body chunked: no declared length to refuse up front.
            byte[] chunked = [.. Encoding.ASCII.GetBytes($"{body.Length:x}\r\n"), .. body, .. "\r\n0\r\n\r\n"u8];
            return Request("json body", endpoint.PathFor(tasks.Open), [.. JsonHeaders(), new("Transfer-Encoding", "chunked")], chunked, frameBody: false);
        }

        return Request("json body", endpoint.PathFor(tasks.Open), JsonHeaders(), body);
    }

    private FuzzRequest WrongContentType()
    {
        var headers = DefaultHeaders();
        var contentType = Pick(HostileValues.ContentTypes);
        if (contentType.Length > 0 || _random.Next(2) == 0)
        {
            headers.Add(new("Content-Type", contentType));
        }

        return Request("content type", endpoint.PathFor(AppendTarget()), headers, SeedBody());
    }

    private FuzzRequest BodyMutation() =>
        Request("mutated body", endpoint.PathFor(AppendTarget()), JsonHeaders(), BodyMutator.Mutate(SeedBody(), _random));

    private FuzzRequest FramingBody()
    {
        var breaker = System.Text.Json.JsonSerializer.Serialize(Pick(HostileValues.FramingBreakers));
        var body = endpoint == FuzzEndpoint.CreateTask
            ? $"{{\"task_id\":{(_random.Next(2) == 0 ? breaker : "\"fuzz-open\"")},\"metadata\":{{{breaker}:{breaker}}}}}"
            : endpoint == FuzzEndpoint.DevToken
                ? $"{{\"tenant\":{breaker},\"sub\":{breaker}}}"
                : $"{{\"event_type\":\"step\",\"actor\":{(_random.Next(2) == 0 ? breaker : "\"a\"")},\"payload\":{{{breaker}:{breaker}}}}}";
        return Request("sse framing", endpoint.PathFor(AppendTarget()), JsonHeaders(), Raw.Bytes(body));
    }

    private FuzzRequest UnmappedRequest()
    {
        var method = Pick(Methods);
        var target = Pick(["/", "*", "/api", "/api/", "/api/tasks/x/events/extra", "/api/tasks/x/y/z", "/sse", "/sse/tasks", "/sse/tasks/x",
            "/auth", "/auth/dev-token", "/metrics/x", "/healthz", "http://evil.example.com/api/tasks", "evil.example.com:443", "//api/tasks",
            "/api/tasks/fuzz-done/events", "/sse/tasks/fuzz-open/events", "/api/tasks", "/sse/health", "/openapi/v2.json", "/%2e%2e/%2e%2e/"]);
        return Request("method and path", target, DefaultHeaders(), method is "POST" or "PUT" or "PATCH" ? Raw.Bytes("{\"event_type\":\"step\"}") : null, method: method);
    }

    private FuzzRequest Request(string family, string target, List<KeyValuePair<string, string>> headers, byte[]? body, bool frameBody = true, string? method = null) =>
        new(family, method ?? endpoint.Method, target, headers, body) { FrameBody = frameBody };

    private List<KeyValuePair<string, string>> DefaultHeaders() => [new("Authorization", $"Bearer {token}"), new("Accept", "*/*")];

    private List<KeyValuePair<string, string>> JsonHeaders() => [.. DefaultHeaders(), new("Content-Type", "application/json")];

    /// <summary>Where a request that might be valid is aimed: never the running task, so a valid mutation cannot store anything.</summary>
    private string AppendTarget() => endpoint == FuzzEndpoint.AppendEvents ? Pick([tasks.Done, tasks.Done, tasks.Foreign, tasks.Unknown]) : Pick(tasks.All);

    private string PathWithTask() => endpoint.PathFor(endpoint == FuzzEndpoint.AppendEvents ? AppendTarget() : Pick(tasks.All));

    private byte[]? DefaultBody() => endpoint.HasBody ? SeedBody() : null;

    private byte[] SeedBody() => endpoint == FuzzEndpoint.CreateTask ? CreateSeed
        : endpoint == FuzzEndpoint.DevToken ? DevTokenSeed
        : _random.Next(2) == 0 ? AppendSeed : BatchSeed;

    private string RandomSegment()
    {
        const string pool = "aZ09._:-~!$&'()*+,;=@%/\\ \u00e9\u00ff\u0080";
        var length = _random.Next(4) == 0 ? _random.Next(100, 300) : _random.Next(1, 20);
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            text.Append(_random.Next(10) == 0 ? Raw.Utf8(char.ConvertFromUtf32(_random.Next(0x100, 0x2FFF))) : pool[_random.Next(pool.Length)].ToString());
        }

        return text.ToString();
    }

    private T Pick<T>(IReadOnlyList<T> values) => values[_random.Next(values.Count)];

    /// <summary>FNV-1a: string.GetHashCode differs between processes, and the seed must not.</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)hash;
    }
}
