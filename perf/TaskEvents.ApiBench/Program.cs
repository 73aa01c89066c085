using System.Net.Http.Json;
using TaskEvents.ApiBench;
using TaskEvents.LocalPostgres;
using TaskEvents.Testing;

// Usage: dotnet run -c Release --project perf/TaskEvents.ApiBench -- [seconds=10] [subscribers=100] [rate=1000]
var seconds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10;
var subscribers = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100;
var rate = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000;
var duration = TimeSpan.FromSeconds(seconds);

var dataDirectory = Path.Combine(Path.GetTempPath(), $"taskevents-bench-{Guid.NewGuid():N}");
Console.WriteLine($"Starting PostgreSQL (durable settings) in {dataDirectory} ...");
await using var postgres = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { DataDirectory = dataDirectory });
try
{
    await postgres.CreateDatabaseAsync("taskevents");
    Console.WriteLine("Starting the Api as its own process ...");
    await using var api = await ApiProcess.StartAsync(postgres.ConnectionString("taskevents"));
    using var client = api.CreateHttpClient();

    Console.WriteLine($"\n== Appends/s, single-event appends to one task, {seconds} s each (machine: {Environment.ProcessorCount} cores)");
    foreach (var producers in new[] { 1, 16 })
    {
        var taskId = $"append-{producers}";
        (await client.PostAsJsonAsync("/api/tasks", new { task_id = taskId })).EnsureSuccessStatusCode();
        await AppendThroughput.MeasureAsync(client, taskId, producers, TimeSpan.FromSeconds(1));
        var perSecond = await AppendThroughput.MeasureAsync(client, taskId, producers, duration);
        Console.WriteLine($"  {producers,2} producer(s): {perSecond,8:N0} appends/s");
    }

    Console.WriteLine($"\n== Delivery latency: 1 task x {subscribers} subscribers, {rate} events/s for {seconds} s (first second is warm-up)");
    foreach (var (label, query) in new[] { ("batch_size=1 (low latency)", "batch_size=1"), ("batch_size=10, flush 0.5 s (default)", "") })
    {
        var taskId = $"latency-{Guid.NewGuid():N}";
        (await client.PostAsJsonAsync("/api/tasks", new { task_id = taskId })).EnsureSuccessStatusCode();
        var result = await DeliveryLatency.MeasureAsync(client, () => DeliveryLatency.ActiveConnections(client), taskId, subscribers, rate, duration, query);
        Console.WriteLine($"  {label}");
        Console.WriteLine($"    publisher send -> subscriber receive: {result.EndToEnd}");
        Console.WriteLine($"    commit (created_at) -> receive:       {result.FromCommit}");
        Console.WriteLine($"    lost={result.Lost} duplicated={result.Duplicated} out-of-order={result.OutOfOrder} late sends={result.LateSends}  api working set={api.WorkingSetBytes() / 1024 / 1024} MiB");
        if (result.Lost + result.Duplicated + result.OutOfOrder > 0)
        {
            Environment.ExitCode = 1;
        }
    }
}
finally
{
    await postgres.StopAsync();
    Directory.Delete(dataDirectory, recursive: true);
}
