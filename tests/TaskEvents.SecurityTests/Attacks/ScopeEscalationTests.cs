using System.Net;
using System.Text;

namespace TaskEvents.SecurityTests.Attacks;

/// <summary>
/// Tokens that read but try to write, with scope strings built to fool a sloppy check (substrings, wildcards, case,
/// other separators): 403 problem on every write, through the gateway and at the Api, and nothing is stored.
/// </summary>
public sealed class ScopeEscalationTests(AttackEnvironment environment) : IClassFixture<AttackEnvironment>, IDisposable
{
    private const string Test = nameof(ScopeEscalationTests);

    public static TheoryData<string> NotWriteScopes =>
    [
        "events:read", "events:readevents:write", "events:write2", "events:writer", "xevents:write", "EVENTS:WRITE", "Events:Write", "events:*", "*",
        "events:read,events:write", "events:read;events:write", "events:read\tevents:write", "events:read\u00a0events:write", "events", "events:admin", "admin", "",
    ];

    [Theory]
    [MemberData(nameof(NotWriteScopes))]
    public async Task A_token_without_the_write_scope_cannot_write(string scope)
    {
        using var owner = environment.Api.CreateHttpClient(TestTokens.Create(tenant: "scope-tenant"));
        var taskId = $"scoped-{Guid.NewGuid():N}";
        await owner.CreateTaskAsync(taskId);

        foreach (var (surface, _) in environment.Surfaces)
        {
            using var client = environment.Client(surface, TestTokens.Create(tenant: "scope-tenant", scope: scope));
            var newTask = $"escalated-{Guid.NewGuid():N}";
            using var create = await client.PostRawAsync("/api/tasks", $"{{\"task_id\": \"{newTask}\"}}");
            using var append = await client.PostRawAsync($"/api/tasks/{taskId}/events", "{\"event_type\": \"step\"}");
            using var terminal = await client.PostRawAsync($"/api/tasks/{taskId}/events", "{\"event_type\": \"task_completed\"}");

            var statuses = new[] { create.StatusCode, append.StatusCode, terminal.StatusCode };
            AttackTable.Record(Test, new("Scope escalation", $"write with scope \"{Visible(scope)}\"", surface, "403 problem on create and append; nothing stored",
                string.Join(", ", statuses.Distinct().Select(s => $"{(int)s}")), Test));
            Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Forbidden, s));
            Assert.All(new[] { create, append, terminal }, r => Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType));
            using var check = await owner.GetAsync($"/api/tasks/{newTask}");
            Assert.Equal(HttpStatusCode.NotFound, check.StatusCode);
        }

        var task = await owner.GetJsonAsync($"/api/tasks/{taskId}");
        Assert.Equal(0, task.GetProperty("last_seq").GetInt64());
        Assert.Equal("running", task.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_token_without_the_read_scope_cannot_read_or_subscribe()
    {
        using var owner = environment.Api.CreateHttpClient(TestTokens.Create(tenant: "scope-tenant"));
        await owner.CreateTaskAsync("read-probe");
        foreach (var (surface, _) in environment.Surfaces)
        {
            foreach (var scope in new[] { "events:write", "events:read2", "events:*", "EVENTS:READ" })
            {
                using var client = environment.Client(surface, TestTokens.Create(tenant: "scope-tenant", scope: scope));
                using var get = await client.GetAsync("/api/tasks/read-probe");
                using var read = await client.GetAsync("/api/tasks/read-probe/events");
                using var stream = await client.GetAsync("/sse/tasks/read-probe/events", HttpCompletionOption.ResponseHeadersRead);
                var statuses = new[] { get.StatusCode, read.StatusCode, stream.StatusCode };
                AttackTable.Record(Test, new("Scope escalation", $"read with scope \"{scope}\"", surface, "403 problem on GET task, GET events, SSE",
                    string.Join(", ", statuses.Distinct().Select(s => $"{(int)s}")), Test));
                Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Forbidden, s));
            }
        }
    }

    public void Dispose()
    {
        AttackTable.Flush(Test);
        AttackTable.Write("existing-scopes", [
            new("Scope escalation", "read-only token creates, appends; write-only token reads, subscribes", "gateway", "403 problem", "403 problem",
                "Gateway.Tests: AuthenticationTests.A_missing_scope_is_403_problem"),
            new("Scope escalation", "dev token asking for a scope that does not exist (admin), none, or a string", "gateway", "400 problem", "400 problem",
                "Gateway.Tests: DevTokenTests.Rejects_bad_requests_with_400_problem"),
            new("Scope escalation", "a dev token's scopes are all it can do", "gateway", "403 on what it was not given", "403",
                "Gateway.Tests: DevTokenTests.Issued_scopes_are_all_a_token_can_do"),
            new("Scope escalation", "scope claim raised from read to write after signing", "gateway, api", "401 problem", "401 (see Tokens rows)", "SecurityTests: TokenAttackTests"),
        ]);
    }

    private static string Visible(string scope) => new StringBuilder(scope).Replace("\t", "\\t").Replace("\u00a0", "\\u00a0").ToString();
}
