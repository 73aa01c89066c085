using System.Net.Http.Json;
using System.Text.Json;

namespace TaskEvents.IntegrationTests;

/// <summary>What the whole-system tests ask of a running system.</summary>
internal static class SystemCalls
{
    /// <summary>A token from the gateway's development token endpoint, as a developer would get one.</summary>
    public static async Task<string> DevTokenAsync(this TaskEventsSystem system)
    {
        using var client = new HttpClient { BaseAddress = system.Gateway };
        using var response = await client.PostAsJsonAsync("/auth/dev-token", new { });
        response.EnsureSuccessStatusCode();
        return JsonElement.Parse(await response.Content.ReadAsStringAsync()).GetProperty("access_token").GetString()!;
    }

    /// <summary>Open streams on each Api replica, from its own <c>/sse/health</c>.</summary>
    public static async Task<Dictionary<string, int>> StreamsPerReplicaAsync(this TaskEventsSystem system)
    {
        var streams = new Dictionary<string, int>();
        foreach (var replica in system.ApiReplicas)
        {
            using var client = TestHttpClient.Create(system.ApiEndpoint(replica), null);
            var health = await client.GetJsonAsync("/sse/health");
            streams[replica] = health.GetProperty("active_connections").GetInt32();
        }

        return streams;
    }

    /// <summary>Test output that ignores lines written after the test has finished (stopping logs a few).</summary>
    public static Action<string> Lines(this ITestOutputHelper output) => line =>
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
        }
    };
}
