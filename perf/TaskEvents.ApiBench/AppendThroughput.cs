using System.Diagnostics;

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
                using var body = new StringContent($"{{\"event_type\":\"bench_append\",\"actor\":\"p{producer}\"}}", System.Text.Encoding.UTF8, "application/json");
                using var response = await client.PostAsync($"/api/tasks/{taskId}/events", body);
                response.EnsureSuccessStatusCode();
                appended++;
            }

            return appended;
        }));
        return counts.Sum() / stop.Elapsed.TotalSeconds;
    }
}
