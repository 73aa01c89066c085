using System.Net.Http.Json;
using TaskEvents.ApiBench;
using TaskEvents.LocalPostgres;
using TaskEvents.Testing;

// Usage: dotnet run -c Release --project perf/TaskEvents.ApiBench -- [seconds=10] [subscribers=100] [rate=1000]
// Prints appends/s (one task and 100 tasks), delivery latency, and each process's CPU while measuring.
//        dotnet run -c Release --project perf/TaskEvents.ApiBench -- trace
// Prints what delivery tracing costs per flushed batch (no database, no server).
if (args is ["trace"])
{
    DeliveryTraceCost.Print();
    return;
}

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

    Console.WriteLine($"\n== Appends/s, single-event appends, {seconds} s each after 1 s of warm-up (machine: {Environment.ProcessorCount} cores)");
    foreach (var (tasks, producers) in new[] { (1, 1), (1, 16), (100, 16), (100, 64) })
    {
        var taskIds = Enumerable.Range(0, tasks).Select(i => $"append-{tasks}x{producers}-{i}").ToList();
        foreach (var taskId in taskIds)
        {
            (await client.PostAsJsonAsync("/api/tasks", new { task_id = taskId })).EnsureSuccessStatusCode();
        }

        await AppendThroughput.MeasureAsync(client, taskIds, producers, TimeSpan.FromSeconds(1));
        var cpuBefore = ProcessCpu.Read(dataDirectory);
        var measured = System.Diagnostics.Stopwatch.StartNew();
        var result = await AppendThroughput.MeasureAsync(client, taskIds, producers, duration);
        var cpu = ProcessCpu.Between(cpuBefore, ProcessCpu.Read(dataDirectory), measured.Elapsed);
        Console.WriteLine($"  {tasks,3} task(s), {producers,2} producer(s): {result.PerSecond,8:N0} appends/s  append {result.Latency}");
        Console.WriteLine($"    {cpu}");
    }

    Console.WriteLine($"\n== Delivery latency: 1 task x {subscribers} subscribers, {rate} events/s for {seconds} s (first second is warm-up)");
    foreach (var (label, query) in new[] { ("batch_size=1 (low latency)", "batch_size=1"), ("batch_size=10, flush 0.5 s (default)", "") })
    {
        var taskId = $"latency-{Guid.NewGuid():N}";
        (await client.PostAsJsonAsync("/api/tasks", new { task_id = taskId })).EnsureSuccessStatusCode();
        var cpuBefore = ProcessCpu.Read(dataDirectory);
        var measured = System.Diagnostics.Stopwatch.StartNew();
        var result = await DeliveryLatency.MeasureAsync(client, () => DeliveryLatency.ActiveConnections(client), taskId, subscribers, rate, duration, query);
        var cpu = ProcessCpu.Between(cpuBefore, ProcessCpu.Read(dataDirectory), measured.Elapsed);
        Console.WriteLine($"  {label}");
        Console.WriteLine($"    publisher send -> subscriber receive: {result.EndToEnd}");
        Console.WriteLine($"    commit (created_at) -> receive:       {result.FromCommit}");
        Console.WriteLine($"    lost={result.Lost} duplicated={result.Duplicated} out-of-order={result.OutOfOrder} late sends={result.LateSends}  api working set={api.WorkingSetBytes() / 1024 / 1024} MiB");
        Console.WriteLine($"    {cpu} (subscribing and publishing included)");
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
