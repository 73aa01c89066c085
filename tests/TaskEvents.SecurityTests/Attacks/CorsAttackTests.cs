using System.Net;

namespace TaskEvents.SecurityTests.Attacks;

/// <summary>
/// Origins built to slip past a loose allowlist check (suffixes, prefixes, ports, userinfo, <c>null</c>, trailing dots),
/// and an allowed origin asking for more than it may: no <c>Access-Control-Allow-*</c> header lets a hostile page read
/// an answer, credentials are never allowed, and the Api itself sends no CORS headers at all.
/// </summary>
public sealed class CorsAttackTests(AttackEnvironment environment) : IClassFixture<AttackEnvironment>, IDisposable
{
    private const string Test = nameof(CorsAttackTests);

    public static TheoryData<string> HostileOrigins =>
    [
        "null", "https://app.example.com:8443", "https://app.example.com.", "https://evilapp.example.com", "https://app.example.com@evil.example",
        "https://app.example.comevil.example", "https://app.example.co", "https://evil.example/https://app.example.com", "file://",
        "https://app.example.com/", "https://app.example.com%00.evil.example", "http://localhost", "https://xn--pp-6cd.example.com", "*",
    ];

    [Theory]
    [MemberData(nameof(HostileOrigins))]
    public async Task A_hostile_origin_gets_no_cors_headers_anywhere(string origin)
    {
        var observed = new List<string>();
        using var client = environment.Client("gateway", TestTokens.Create());
        foreach (var (name, request) in Requests(origin))
        {
            using (request)
            using (var response = await client.SendAsync(request))
            {
                var cors = CorsHeaders(response);
                observed.Add(cors.Count == 0 ? $"{name}: none" : $"{name}: {string.Join(", ", cors)}");
                Assert.True(cors.Count == 0, $"{origin} {name}: {string.Join(", ", cors)}");
            }
        }

        AttackTable.Record(Test, new("CORS", $"Origin: {origin}", "gateway", "no Access-Control-* header on simple, preflight or authenticated requests",
            observed.All(o => o.EndsWith(": none", StringComparison.Ordinal)) ? "none" : string.Join("; ", observed), Test));
    }

    [Fact]
    public async Task An_allowed_origin_gets_only_what_the_policy_names_and_never_credentials()
    {
        using var client = environment.Client("gateway", null);
        var cases = new (string Attack, string Method, string Headers)[]
        {
            ("preflight asking for DELETE", "DELETE", "x-forwarded-for"),
            ("preflight asking for PUT", "PUT", "x-http-method-override"),
            ("preflight asking for a custom header", "POST", "x-evil"),
            ("preflight asking for Cookie", "POST", "cookie"),
        };
        foreach (var (attack, method, headers) in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/api/tasks");
            request.Headers.Add("Origin", AttackEnvironment.AllowedOrigin);
            request.Headers.Add("Access-Control-Request-Method", method);
            request.Headers.Add("Access-Control-Request-Headers", headers);
            using var response = await client.SendAsync(request);
            // The policy answers with what it allows; the browser refuses whatever is not listed.
            var allowedMethods = Header(response, "Access-Control-Allow-Methods");
            var allowedHeaders = Header(response, "Access-Control-Allow-Headers");
            AttackTable.Record(Test, new("CORS", $"allowed origin, {attack}", "gateway", $"{method} / {headers} not among the allowed methods and headers",
                $"Allow-Methods: {allowedMethods}; Allow-Headers: {allowedHeaders}", Test));
            Assert.False(method != "POST" && allowedMethods.Contains(method, StringComparison.OrdinalIgnoreCase), allowedMethods);
            Assert.DoesNotContain(headers, allowedHeaders.Split(',', StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
        }

        using var simple = new HttpRequestMessage(HttpMethod.Get, "/sse/health");
        simple.Headers.Add("Origin", AttackEnvironment.AllowedOrigin);
        using var allowed = await client.SendAsync(simple);
        var credentials = allowed.Headers.Contains("Access-Control-Allow-Credentials");
        AttackTable.Record(Test, new("CORS", "allowed origin asks with credentials", "gateway", "Allow-Origin echoed, never Allow-Credentials",
            $"{string.Join(", ", CorsHeaders(allowed))}{(credentials ? "" : "; no Allow-Credentials")}", Test));
        Assert.False(credentials);
    }

    [Fact]
    public async Task Two_origin_headers_or_the_api_itself_get_no_cors_headers()
    {
        using var gateway = environment.Client("gateway", TestTokens.Create());
        using var twice = new HttpRequestMessage(HttpMethod.Get, "/sse/health");
        twice.Headers.TryAddWithoutValidation("Origin", [AttackEnvironment.AllowedOrigin, "https://evil.example.com"]);
        using var twiceResponse = await gateway.SendAsync(twice);
        var echoed = twiceResponse.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? string.Join(", ", values) : "none";
        AttackTable.Record(Test, new("CORS", "two Origin headers (allowed, then hostile)", "gateway", "the hostile origin never echoed", echoed, Test));
        Assert.DoesNotContain("evil", echoed, StringComparison.Ordinal);

        using var api = environment.Client("api", TestTokens.Create());
        foreach (var origin in new[] { AttackEnvironment.AllowedOrigin, "https://evil.example.com", "null" })
        {
            foreach (var (name, request) in Requests(origin))
            {
                using (request)
                using (var response = await api.SendAsync(request))
                {
                    Assert.Empty(CorsHeaders(response));
                }
            }
        }

        AttackTable.Record(Test, new("CORS", "any origin straight at the Api (allowed, hostile, null)", "api", "no Access-Control-* header: the Api is not for browsers", "none", Test));
    }

    public void Dispose()
    {
        AttackTable.Flush(Test);
        AttackTable.Write("existing-cors", [
            new("CORS", "https://evil.example.com, http://app.example.com, https://app.example.com.evil.example", "gateway", "no CORS headers", "none",
                "Gateway.Tests: CorsTests.Another_origin_gets_no_cors_headers"),
            new("CORS", "no origin allowed by default", "gateway", "no CORS headers", "none", "Gateway.Tests: CorsTests.No_origin_is_allowed_by_default"),
            new("CORS", "allowlist entry *, with a path, or without a scheme", "gateway config", "the gateway refuses to start", "OptionsValidationException",
                "Gateway.Tests: CorsTests.An_allowlist_entry_that_is_not_an_origin_stops_the_gateway"),
        ]);
    }

    private static IEnumerable<(string Name, HttpRequestMessage Request)> Requests(string origin)
    {
        var simple = new HttpRequestMessage(HttpMethod.Get, "/sse/health");
        simple.Headers.TryAddWithoutValidation("Origin", origin);
        yield return ("simple", simple);

        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/tasks");
        preflight.Headers.TryAddWithoutValidation("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        yield return ("preflight", preflight);

        var authenticated = new HttpRequestMessage(HttpMethod.Get, "/api/tasks/cors-probe/events");
        authenticated.Headers.TryAddWithoutValidation("Origin", origin);
        yield return ("authenticated", authenticated);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    private static List<string> CorsHeaders(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase))
            .Select(h => $"{h.Key}: {string.Join(",", h.Value)}")
            .ToList();
}
