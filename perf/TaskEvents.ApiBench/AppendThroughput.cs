using System.Diagnostics;
using TaskEvents.Measurement;

namespace TaskEvents.ApiBench;

/// <summary>
/// Single-event appends from N concurrent producers, as fast as the Api takes them (closed model). The producers take the
/// tasks in turn, so with one task every producer contends for it and with many the appends spread over all of them.
/// </summary>
internal static class AppendThroughput
{
    public sealed record Result(double PerSecond, LatencySummary Latency);

    public static async Task<Result> MeasureAsync(HttpClient client, IReadOnlyList<string> taskIds, int producers, TimeSpan duration)
    {
        var stop = Stopwatch.StartNew();
        var latencies = await Task.WhenAll(Enumerable.Range(0, producers).Select(async producer =>
        {
            var samples = new List<double>();
            while (stop.Elapsed < duration)
            {
                var taskId = taskIds[(producer + samples.Count * producers) % taskIds.Count];
                var sent = Stopwatch.GetTimestamp();
                using var body = new StringContent($"{{\"event_type\":\"bench_append\",\"actor\":\"p{producer}\"}}", System.Text.Encoding.UTF8, "application/json");
                using var response = await client.PostAsync($"/api/tasks/{taskId}/events", body);
                response.EnsureSuccessStatusCode();
                samples.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }

            return samples;
        }));
        var all = latencies.SelectMany(s => s).ToList();
        return new Result(all.Count / stop.Elapsed.TotalSeconds, LatencySummary.Of(all));
    }
}
