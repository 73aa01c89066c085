using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using TaskEvents.Contracts;
using TaskEvents.GatewayBench;
using TaskEvents.Measurement;
using TaskEvents.Testing;

// Delivery latency of the same events to subscribers connected directly to the Api and through the gateway.
// One producer appends to one task (directly to the Api, so both paths share everything but the last hop);
// each event carries its send time; every subscriber records send → read.
var settings = BenchSettings.Parse(args);
Console.WriteLine($"Workload: {settings.Events} events at {settings.RatePerSecond}/s, {settings.SubscribersPerPath} subscribers per path, " +
    $"first {settings.WarmupEvents} events not measured.");

await using var api = await ApiHost.StartAsync();
await using var gateway = await GatewayHost.StartAsync(api);
using var producer = api.CreateHttpClient();
const string taskId = "bench";
await producer.CreateTaskAsync(taskId);

using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(10));
var direct = Enumerable.Range(0, settings.SubscribersPerPath).Select(_ => new Subscriber(api.CreateHttpClient(), taskId, settings.WarmupEvents)).ToList();
var proxied = Enumerable.Range(0, settings.SubscribersPerPath).Select(_ => new Subscriber(gateway.CreateHttpClient(), taskId, settings.WarmupEvents)).ToList();
var connections = new List<Task>();
var running = new List<Task>();
foreach (var subscriber in direct.Concat(proxied))
{
    var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    connections.Add(connected.Task);
    running.Add(subscriber.RunAsync(connected, stop.Token));
}

await Task.WhenAll(connections);

var interval = TimeSpan.FromSeconds(1.0 / settings.RatePerSecond);
var clock = Stopwatch.StartNew();
for (var i = 0; i < settings.Events; i++)
{
    // Paced against the start, so a slow append does not shift the whole schedule.
    var due = interval * i - clock.Elapsed;
    if (due > TimeSpan.Zero)
    {
        await Task.Delay(due);
    }

    using var response = await producer.PostAsJsonAsync($"/api/tasks/{taskId}/events",
        new { event_type = "bench.tick", payload = new { sent = Stopwatch.GetTimestamp() } });
    response.EnsureSuccessStatusCode();
}

await producer.AppendAsync(taskId, TerminalEventTypes.Completed);
await Task.WhenAll(running);

var directSummary = LatencySummary.Of(direct.SelectMany(s => s.LatenciesMs));
var gatewaySummary = LatencySummary.Of(proxied.SelectMany(s => s.LatenciesMs));
Console.WriteLine();
Console.WriteLine($"{"path",-16} {"events",8} {"median",9} {"p90",9} {"p99",9} {"max",9}   (ms, send → read)");
foreach (var (path, summary) in new[] { ("direct to Api", directSummary), ("through gateway", gatewaySummary) })
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{path,-16} {summary.Count,8} {summary.P50,9:F3} {summary.P90,9:F3} {summary.P99,9:F3} {summary.Max,9:F3}"));
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"gateway / direct: median {gatewaySummary.P50 / directSummary.P50:F2}x (+{gatewaySummary.P50 - directSummary.P50:F3} ms), " +
    $"p99 {gatewaySummary.P99 / directSummary.P99:F2}x (+{gatewaySummary.P99 - directSummary.P99:F3} ms)"));
