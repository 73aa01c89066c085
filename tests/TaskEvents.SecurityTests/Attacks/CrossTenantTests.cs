using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace TaskEvents.SecurityTests.Attacks;

/// <summary>
/// Another tenant's task, on every task endpoint, through the gateway and straight at the Api, with every parameter
/// that could tell "exists elsewhere" from "does not exist" (a resume point past the end, Last-Event-ID, a retried
/// event_id, a terminal event): always exactly the unknown-task answer, and the task is untouched.
/// Gateway.Tests' AuthenticationTests.Another_tenants_task_is_404_exactly_like_an_unknown_one covers the plain calls through the gateway.
/// </summary>
public sealed class CrossTenantTests(AttackEnvironment environment) : IClassFixture<AttackEnvironment>, IDisposable
{
    private const string Test = nameof(CrossTenantTests);
    private const string Unknown = "no-such-task-anywhere";

    [Fact]
    public async Task Another_tenants_task_answers_exactly_like_an_unknown_one_everywhere()
    {
        using var victim = environment.Api.CreateHttpClient(TestTokens.Create(tenant: AttackEnvironment.Victim));
        await victim.PostJsonAsync($"/api/tasks/{AttackEnvironment.VictimTask}/events", new { event_id = "victim-known", event_type = "step" }, HttpStatusCode.Created);
        var before = (await victim.GetJsonAsync($"/api/tasks/{AttackEnvironment.VictimTask}")).ToString();
        var victimEvents = (await victim.GetJsonAsync($"/api/tasks/{AttackEnvironment.VictimTask}/events")).GetProperty("events").ToString();

        var probes = new (string Name, HttpMethod Method, string Path, string? Body, string? LastEventId)[]
        {
            ("GET task", HttpMethod.Get, "/api/tasks/{0}", null, null),
            ("GET events", HttpMethod.Get, "/api/tasks/{0}/events", null, null),
            ("GET events ?since_seq=2&limit=1", HttpMethod.Get, "/api/tasks/{0}/events?since_seq=2&limit=1", null, null),
            ("GET events ?since_seq past the victim's end", HttpMethod.Get, "/api/tasks/{0}/events?since_seq=999", null, null),
            ("POST event", HttpMethod.Post, "/api/tasks/{0}/events", "{\"event_type\": \"step\"}", null),
            ("POST event retrying the victim's event_id", HttpMethod.Post, "/api/tasks/{0}/events", "{\"event_id\": \"victim-known\", \"event_type\": \"step\"}", null),
            ("POST terminal event (task_completed)", HttpMethod.Post, "/api/tasks/{0}/events", "{\"event_type\": \"task_completed\"}", null),
            ("POST batch", HttpMethod.Post, "/api/tasks/{0}/events", "{\"events\": [{\"event_type\": \"step\"}, {\"event_type\": \"step\"}]}", null),
            ("SSE stream", HttpMethod.Get, "/sse/tasks/{0}/events", null, null),
            ("SSE ?since_seq within the victim's events", HttpMethod.Get, "/sse/tasks/{0}/events?since_seq=2", null, null),
            ("SSE ?since_seq past the victim's end", HttpMethod.Get, "/sse/tasks/{0}/events?since_seq=999", null, null),
            ("SSE Last-Event-ID", HttpMethod.Get, "/sse/tasks/{0}/events", null, "3"),
        };

        foreach (var (surface, _) in environment.Surfaces)
        {
            using var attacker = environment.Client(surface, TestTokens.Create(tenant: AttackEnvironment.Attacker));
            foreach (var (name, method, path, body, lastEventId) in probes)
            {
                var theirs = await SendAsync(attacker, method, string.Format(null, path, AttackEnvironment.VictimTask), body, lastEventId);
                var unknown = await SendAsync(attacker, method, string.Format(null, path, Unknown), body, lastEventId);
                var same = theirs.Status == unknown.Status && theirs.Body == unknown.Body.Replace(Unknown, AttackEnvironment.VictimTask, StringComparison.Ordinal);
                AttackTable.Record(Test, new("Cross-tenant", name, surface, "exactly the unknown-task answer (404 problem)",
                    same ? $"{theirs.Status}, identical to unknown" : $"{theirs.Status} vs unknown {unknown.Status}: DIFFERENT", Test));
                Assert.Equal(HttpStatusCode.NotFound, theirs.Status);
                Assert.True(same, $"{name} on {surface}: {theirs.Body}\nunknown: {unknown.Body}");
            }
        }

        Assert.Equal(before, (await victim.GetJsonAsync($"/api/tasks/{AttackEnvironment.VictimTask}")).ToString());
        Assert.Equal(victimEvents, (await victim.GetJsonAsync($"/api/tasks/{AttackEnvironment.VictimTask}/events")).GetProperty("events").ToString());
    }

    [Fact]
    public async Task Tenant_claims_that_resemble_the_victim_get_nothing_of_it()
    {
        var key = Encoding.UTF8.GetBytes(TestTokens.SigningKey);
        var cases = new (string Attack, string Token, HttpStatusCode Expected)[]
        {
            ("tenant differing in case only", TestTokens.Create(tenant: AttackEnvironment.Victim.ToUpperInvariant()), HttpStatusCode.NotFound),
            ("tenant with a trailing space", TestTokens.Create(tenant: AttackEnvironment.Victim + " "), HttpStatusCode.NotFound),
            ("tenant with a trailing NUL (the database refuses NUL: 400 for any task)", TestTokens.Create(tenant: AttackEnvironment.Victim + "\0"), HttpStatusCode.BadRequest),
            ("two tenant claims (victim and attacker)", ForgedTokens.Hmac("HS256", key,
                new Dictionary<string, object>(ForgedTokens.Claims()) { ["tenant"] = new[] { AttackEnvironment.Victim, AttackEnvironment.Attacker } }), HttpStatusCode.Forbidden),
            ("empty tenant", TestTokens.Create(tenant: ""), HttpStatusCode.Forbidden),
            ("tenant as an object", ForgedTokens.Hmac("HS256", key,
                new Dictionary<string, object>(ForgedTokens.Claims()) { ["tenant"] = new Dictionary<string, string> { ["id"] = AttackEnvironment.Victim } }), HttpStatusCode.NotFound),
        };

        foreach (var (surface, _) in environment.Surfaces)
        {
            foreach (var (attack, token, expected) in cases)
            {
                using var client = environment.Client(surface, token);
                var statuses = new List<HttpStatusCode>();
                foreach (var path in new[] { $"/api/tasks/{AttackEnvironment.VictimTask}", $"/api/tasks/{AttackEnvironment.VictimTask}/events", $"/sse/tasks/{AttackEnvironment.VictimTask}/events" })
                {
                    using var response = await client.GetAsync(path);
                    statuses.Add(response.StatusCode);
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }

                AttackTable.Record(Test, new("Cross-tenant", attack, surface, $"{(int)expected} problem on REST and stream",
                    string.Join(", ", statuses.Distinct().Select(s => $"{(int)s}")), Test));
                Assert.All(statuses, s => Assert.Equal(expected, s));
            }
        }
    }

    public void Dispose()
    {
        AttackTable.Flush(Test);
        AttackTable.Write("existing-tenants", [
            new("Cross-tenant", "GET task, GET events, POST event, SSE (plain calls)", "gateway", "exactly the unknown-task answer", "identical 404 problem",
                "Gateway.Tests: AuthenticationTests.Another_tenants_task_is_404_exactly_like_an_unknown_one"),
            new("Cross-tenant", "create a task with another tenant's task id", "gateway", "201, a separate empty task; the other is untouched", "201",
                "Gateway.Tests: AuthenticationTests.Another_tenants_task_is_404_exactly_like_an_unknown_one"),
            new("Cross-tenant", "token without a tenant claim", "gateway", "403 problem", "403 problem", "Gateway.Tests: AuthenticationTests.A_token_without_a_tenant_is_refused"),
        ]);
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? body, string? lastEventId)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        // Every answer has its own trace id; all else must match.
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        problem.Remove("trace_id");
        problem.Remove("traceId");
        return (response.StatusCode, problem.ToJsonString());
    }
}
