using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace TaskEvents.Gateway.Tests;

/// <summary>Tokens that must not get in, at the gateway and at the Api itself.</summary>
public sealed class AuthenticationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    public static TheoryData<string> BadTokens => ["none", "expired", "not-yet-valid", "wrong-key", "alg-none", "tampered", "wrong-issuer", "wrong-audience", "garbage"];

    private static string? TokenFor(string kind) => kind switch
    {
        "none" => null,
        "expired" => TestTokens.Expired(),
        "not-yet-valid" => TestTokens.NotYetValid(),
        "wrong-key" => TestTokens.WrongKey(),
        "alg-none" => TestTokens.Unsigned(),
        "tampered" => TestTokens.Tampered(),
        "wrong-issuer" => TestTokens.WrongIssuer(),
        "wrong-audience" => TestTokens.WrongAudience(),
        "garbage" => "not.a.jwt",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task The_gateway_refuses_a_bad_token_with_401_problem(string kind)
    {
        using var client = fixture.Gateway.CreateHttpClient(TokenFor(kind));
        var before = fixture.Api.ReceivedRequests.Count(r => r.Path.StartsWith("/api/tasks/auth-probe", StringComparison.Ordinal));

        using var rest = await client.GetAsync("/api/tasks/auth-probe");
        using var stream = await SseWireReader.OpenAsync(client, "/sse/tasks/auth-probe/events");

        await Problem.AssertAsync(rest, HttpStatusCode.Unauthorized);
        await Problem.AssertAsync(stream.Response, HttpStatusCode.Unauthorized);
        Assert.Contains(rest.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Equal(before, fixture.Api.ReceivedRequests.Count(r => r.Path.StartsWith("/api/tasks/auth-probe", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task The_api_refuses_a_bad_token_itself(string kind)
    {
        using var client = fixture.Api.CreateHttpClient(TokenFor(kind));

        using var rest = await client.PostAsync("/api/tasks", null);
        using var stream = await SseWireReader.OpenAsync(client, "/sse/tasks/auth-probe/events");

        await Problem.AssertAsync(rest, HttpStatusCode.Unauthorized);
        await Problem.AssertAsync(stream.Response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_missing_scope_is_403_problem()
    {
        using var owner = fixture.Gateway.CreateHttpClient();
        await owner.CreateTaskAsync("scoped");
        using var reader = fixture.Gateway.CreateHttpClient(TestTokens.Create(scope: "events:read"));
        using var writer = fixture.Gateway.CreateHttpClient(TestTokens.Create(scope: "events:write"));

        using var create = await reader.PostAsync("/api/tasks", null);
        using var append = await reader.PostRawAsync("/api/tasks/scoped/events", "{\"event_type\": \"step\"}");
        using var get = await writer.GetAsync("/api/tasks/scoped");
        using var read = await writer.GetAsync("/api/tasks/scoped/events");
        using var stream = await SseWireReader.OpenAsync(writer, "/sse/tasks/scoped/events");

        foreach (var response in new[] { create, append, get, read, stream.Response })
        {
            await Problem.AssertAsync(response, HttpStatusCode.Forbidden);
        }

        Assert.Equal(0, (await owner.GetJsonAsync("/api/tasks/scoped")).GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task Each_scope_allows_what_it_names()
    {
        using var writer = fixture.Gateway.CreateHttpClient(TestTokens.Create(scope: "events:write"));
        using var reader = fixture.Gateway.CreateHttpClient(TestTokens.Create(scope: "events:read"));

        await writer.CreateTaskAsync("write-then-read");
        await writer.AppendAsync("write-then-read", "step");
        var events = await reader.GetJsonAsync("/api/tasks/write-then-read/events");

        Assert.Equal(1, events.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task A_token_without_a_tenant_is_refused()
    {
        using var client = fixture.Gateway.CreateHttpClient(TestTokens.Create(tenant: null));

        using var response = await client.GetAsync("/api/tasks/anything");

        await Problem.AssertAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Another_tenants_task_is_404_exactly_like_an_unknown_one()
    {
        using var acme = fixture.Gateway.CreateHttpClient(TestTokens.Create(tenant: "acme"));
        using var globex = fixture.Gateway.CreateHttpClient(TestTokens.Create(tenant: "globex"));
        await acme.CreateTaskAsync("shared-name");
        await acme.AppendAsync("shared-name", "step");

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, "/api/tasks/{0}"),
            (HttpMethod.Get, "/api/tasks/{0}/events"),
            (HttpMethod.Post, "/api/tasks/{0}/events"),
            (HttpMethod.Get, "/sse/tasks/{0}/events"),
        })
        {
            var theirs = await SendAsync(globex, method, string.Format(null, path, "shared-name"));
            var unknown = await SendAsync(globex, method, string.Format(null, path, "never-created"));

            Assert.Equal(HttpStatusCode.NotFound, theirs.Status);
            Assert.Equal(unknown.Status, theirs.Status);
            Assert.Equal(unknown.Body.Replace("never-created", "shared-name", StringComparison.Ordinal), theirs.Body);
        }

        // The name is free in the other tenant: creating it is no conflict, and it starts empty.
        await globex.CreateTaskAsync("shared-name");
        Assert.Equal(0, (await globex.GetJsonAsync("/api/tasks/shared-name")).GetProperty("last_seq").GetInt64());
        Assert.Equal(1, (await acme.GetJsonAsync("/api/tasks/shared-name")).GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task Health_endpoints_stay_anonymous()
    {
        using var viaGateway = fixture.Gateway.CreateHttpClient(null);
        using var direct = fixture.Api.CreateHttpClient(null);

        Assert.Equal(HttpStatusCode.OK, (await viaGateway.GetAsync("/sse/health")).StatusCode);
        foreach (var path in new[] { "/sse/health", "/health", "/alive", "/metrics", "/openapi/v1.json" })
        {
            using var response = await direct.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("{\"event_type\": \"step\"}", MediaTypeHeaderValue.Parse("application/json"));
        }

        using var response = await client.SendAsync(request);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        // Every answer carries its own trace id; everything else must match.
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("trace_id");
        body.Remove("traceId");
        return (response.StatusCode, body.ToJsonString());
    }
}
