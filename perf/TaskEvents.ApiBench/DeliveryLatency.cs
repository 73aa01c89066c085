using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using TaskEvents.Measurement;

namespace TaskEvents.ApiBench;

/// <summary>
/// S subscribers follow one task while a publisher appends at a fixed rate (open model: each send is scheduled
/// at its own time, so a slow server cannot slow the arrivals and hide its latency). Latency per event is
/// receive time − the publisher's timestamp in the payload (same clock); the first second is warm-up.
/// Also counts lost, duplicated and out-of-order events per subscriber.
/// </summary>
internal static class DeliveryLatency
{
    public sealed record Result(LatencySummary EndToEnd, LatencySummary FromCommit, long Lost, long Duplicated, long OutOfOrder, int LateSends);

    public static async Task<Result> MeasureAsync(
        HttpClient client, Func<Task<int>> activeConnections, string taskId, int subscribers, int ratePerSecond, TimeSpan duration, string streamQuery)
    {
        var total = (int)(ratePerSecond * duration.TotalSeconds);
        var warmupCount = ratePerSecond;
        using var cancel = new CancellationTokenSource(duration + TimeSpan.FromSeconds(60));
        var readers = Enumerable.Range(0, subscribers)
            .Select(_ => SubscribeAsync(client, taskId, streamQuery, total, warmupCount, cancel.Token)).ToList();
        while (await activeConnections() < subscribers)
        {
            await Task.Delay(50);
        }

        var lateSends = await PublishAsync(client, taskId, ratePerSecond, total);
        var results = await Task.WhenAll(readers);
        return new Result(
            LatencySummary.Of(results.SelectMany(r => r.EndToEnd).ToList()),
            LatencySummary.Of(results.SelectMany(r => r.FromCommit).ToList()),
            results.Sum(r => r.Lost), results.Sum(r => r.Duplicated), results.Sum(r => r.OutOfOrder), lateSends);
    }

    private static async Task<int> PublishAsync(HttpClient client, string taskId, int ratePerSecond, int total)
    {
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>(total);
        var late = 0;
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / ratePerSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }
            else if (wait < -TimeSpan.FromMilliseconds(50))
            {
                late++;
            }

            inFlight.Add(SendAsync(client, taskId, i));
        }

        await Task.WhenAll(inFlight);
        return late;
    }

    private static async Task SendAsync(HttpClient client, string taskId, int index)
    {
        var body = new { event_type = "bench_tick", payload = new { i = index, sent_at_us = UnixMicros(DateTime.UtcNow) } };
        using var response = await client.PostAsJsonAsync($"/api/tasks/{taskId}/events", body);
        response.EnsureSuccessStatusCode();
    }

    private sealed record SubscriberResult(List<double> EndToEnd, List<double> FromCommit, long Lost, long Duplicated, long OutOfOrder);

    private static async Task<SubscriberResult> SubscribeAsync(
        HttpClient client, string taskId, string streamQuery, int total, int warmupCount, CancellationToken cancellationToken)
    {
        var endToEnd = new List<double>(total);
        var fromCommit = new List<double>(total);
        var seen = new HashSet<int>();
        long duplicated = 0, outOfOrder = 0, lastSeq = 0;
        using var response = await client.GetAsync($"/sse/tasks/{taskId}/events?{streamQuery}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            var receivedAt = UnixMicros(DateTime.UtcNow);
            using var json = JsonDocument.Parse(item.Data);
            if (!json.RootElement.TryGetProperty("seq", out var seqElement))
            {
                continue;
            }

            var seq = seqElement.GetInt64();
            outOfOrder += seq <= lastSeq ? 1 : 0;
            lastSeq = Math.Max(lastSeq, seq);
            var payload = json.RootElement.GetProperty("payload");
            var index = payload.GetProperty("i").GetInt32();
            if (!seen.Add(index))
            {
                duplicated++;
                continue;
            }

            if (index >= warmupCount)
            {
                endToEnd.Add((receivedAt - payload.GetProperty("sent_at_us").GetInt64()) / 1000.0);
                var createdAt = DateTime.Parse(json.RootElement.GetProperty("created_at").GetString()!, null, System.Globalization.DateTimeStyles.AdjustToUniversal);
                fromCommit.Add((receivedAt - UnixMicros(createdAt)) / 1000.0);
            }

            if (seen.Count == total)
            {
                break;
            }
        }

        return new SubscriberResult(endToEnd, fromCommit, total - seen.Count, duplicated, outOfOrder);
    }

    private static long UnixMicros(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    public static Task<int> ActiveConnections(HttpClient client) =>
        client.GetFromJsonAsync<JsonElement>("/sse/health").ContinueWith(t => t.Result.GetProperty("active_connections").GetInt32(), TaskScheduler.Default);
}
