using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace TaskEvents.SecurityTests.Attacks;

/// <summary>
/// Tokens sent every way a client can (header, the stream's <c>?access_token=</c>, a query on REST, straight at the Api,
/// valid, expired, forged, freshly issued) never appear in the Api's or the gateway's logs (captured at Trace) or traces.
/// </summary>
public sealed class LogLeakTests(AttackEnvironment environment) : IClassFixture<AttackEnvironment>, IDisposable
{
    private const string Test = nameof(LogLeakTests);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task No_token_is_written_to_any_log_or_trace()
    {
        var traced = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (traced)
                {
                    traced.Add(activity.DisplayName);
                    traced.AddRange(activity.TagObjects.Select(t => $"{t.Key}={t.Value}"));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var owner = TestTokens.Create(tenant: "log-tenant");
        using var ownerClient = environment.Api.CreateHttpClient(owner);
        await ownerClient.CreateTaskAsync("log-task");
        await ownerClient.AppendAsync("log-task", "step", "task_completed");

        var tokens = new Dictionary<string, string>
        {
            ["valid, Authorization header"] = TestTokens.Create(tenant: "log-tenant"),
            ["valid, ?access_token= on a stream (gateway)"] = TestTokens.Create(tenant: "log-tenant"),
            ["valid, ?access_token= on REST (gateway strips it)"] = TestTokens.Create(tenant: "log-tenant"),
            ["valid, ?access_token= straight at the Api"] = TestTokens.Create(tenant: "log-tenant"),
            ["expired, ?access_token= on a stream"] = TestTokens.Expired(),
            ["forged key, Authorization header"] = TestTokens.WrongKey(),
            ["tampered, ?access_token= on a stream"] = TestTokens.Tampered(),
        };

        foreach (var (surface, address) in environment.Surfaces)
        {
            using var withHeader = TestHttpClient.Create(address, tokens["valid, Authorization header"]);
            await ReadStreamAsync(withHeader, "/sse/tasks/log-task/events");
            (await withHeader.GetAsync("/api/tasks/log-task/events")).Dispose();
            using var forged = TestHttpClient.Create(address, tokens["forged key, Authorization header"]);
            (await forged.GetAsync("/api/tasks/log-task")).Dispose();
        }

        using var gatewayAnonymous = TestHttpClient.Create(environment.Gateway.BaseAddress, null);
        await ReadStreamAsync(gatewayAnonymous, $"/sse/tasks/log-task/events?access_token={tokens["valid, ?access_token= on a stream (gateway)"]}");
        using var ownerAtGateway = TestHttpClient.Create(environment.Gateway.BaseAddress, owner);
        (await ownerAtGateway.GetAsync($"/api/tasks/log-task?access_token={tokens["valid, ?access_token= on REST (gateway strips it)"]}")).Dispose();
        (await gatewayAnonymous.GetAsync($"/sse/tasks/log-task/events?access_token={tokens["expired, ?access_token= on a stream"]}")).Dispose();
        (await gatewayAnonymous.GetAsync($"/sse/tasks/log-task/events?access_token={tokens["tampered, ?access_token= on a stream"]}")).Dispose();
        using var apiAnonymous = TestHttpClient.Create(environment.Api.BaseAddress, null);
        (await apiAnonymous.GetAsync($"/sse/tasks/log-task/events?access_token={tokens["valid, ?access_token= straight at the Api"]}")).Dispose();
        (await apiAnonymous.GetAsync($"/api/tasks/log-task?batch_size=1&access_token={tokens["valid, ?access_token= straight at the Api"]}")).Dispose();

        // A freshly issued dev token travels in a response body: that must not be logged either.
        using var issued = await gatewayAnonymous.PostAsync("/auth/dev-token", null);
        tokens["issued by /auth/dev-token"] = JsonElement.Parse(await issued.Content.ReadAsStringAsync()).GetProperty("access_token").GetString()!;

        // The capture works: both services logged these very requests at Trace.
        await Poll.UntilAsync(() => environment.Gateway.Logs.Entries.Any(e => e.Contains("/sse/tasks/log-task/events", StringComparison.Ordinal))
            && environment.Api.Logs.Entries.Any(e => e.Contains("/sse/tasks/log-task/events", StringComparison.Ordinal)), Timeout, "both services logged the stream requests");

        var logs = environment.Api.Logs.Entries.Select(e => ("api log", e)).Concat(environment.Gateway.Logs.Entries.Select(e => ("gateway log", e))).ToList();
        List<string> traces;
        lock (traced)
        {
            traces = [.. traced];
        }

        var leaks = new List<string>();
        foreach (var (how, token) in tokens)
        {
            // The signature is unique to this token; the payload is too (fresh subject, times).
            var secretParts = token.Split('.').Skip(1).Where(p => p.Length > 16).ToList();
            var inLogs = logs.Where(l => secretParts.Any(p => l.Item2.Contains(p, StringComparison.Ordinal))).Select(l => l.Item1).Distinct().ToList();
            var inTraces = traces.Any(t => secretParts.Any(p => t.Contains(p, StringComparison.Ordinal)));
            var found = inLogs.Concat(inTraces ? ["traces"] : []).ToList();
            AttackTable.Record(Test, new("Logs", $"access token {how}", "gateway + api logs (Trace) and traces", "in no log line and no trace tag",
                found.Count == 0 ? $"absent from {logs.Count} log entries and {traces.Count} trace items" : $"FOUND in {string.Join(", ", found)}", Test));
            if (found.Count > 0)
            {
                leaks.Add($"{how}: {string.Join(", ", found)}: {logs.FirstOrDefault(l => secretParts.Any(p => l.Item2.Contains(p, StringComparison.Ordinal))).Item2}");
            }
        }

        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    public void Dispose() => AttackTable.Flush(Test);

    private static async Task ReadStreamAsync(HttpClient client, string path)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var reader = await SseWireReader.OpenAsync(client, path, cancellationToken: timeout.Token);
        Assert.Equal(HttpStatusCode.OK, reader.Response.StatusCode);
        await reader.ReadEventsAsync(2, timeout.Token);
    }
}
