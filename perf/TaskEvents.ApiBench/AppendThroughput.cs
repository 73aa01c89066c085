using System.Diagnostics;
using System.Net.Http.Json;

namespace TaskEvents.ApiBench;

/// <summary>Single-event appends to one task from N concurrent producers, as fast as the Api takes them.</summary>
internal static class AppendThroughput
{
    public static async Task<double> MeasureAsync(HttpClient client, string taskId, int producers, TimeSpan duration)
    {
        var stop = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, producers).Select(async producer =>
        {
            var appended = 0;
            while (stop.Elapsed < duration)
            {
                using var response = await client.PostAsJsonAsync($"/api/tasks/{taskId}/events", new { event_type = "bench_append", actor = $"p{producer}" });
                response.EnsureSuccessStatusCode();
                appended++;
            }

            return appended;
        }));
        return counts.Sum() / stop.Elapsed.TotalSeconds;
    }
}
