using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using HdrHistogram;
using TaskEvents.LoadTests.Channels;
using TaskEvents.LoadTests.Cli;
using TaskEvents.LoadTests.Measurement;
using TaskEvents.LoadTests.Reporting;
using TaskEvents.LoadTests.Targets;

namespace TaskEvents.LoadTests.Scenarios;

/// <summary>
/// <c>connections</c>: opens --streams idle streams through the gateway, evenly over --ramp (each its own client token),
/// holds them for --hold, and reports connect latency (request → response headers), then from /proc the memory, open
/// files and sockets of api + gateway per stream, and the keepalive cost (their CPU and the bytes each stream receives
/// while idle). States the open-file limit the run needs and refuses to start when the harness's own is too low.
/// </summary>
internal static class ConnectionsScenario
{
    private const int Headroom = 256;

    public static async Task RunAsync(RunSettings settings, Report report, LiveProgress progress, CancellationToken cancellationToken)
    {
        CheckOpenFileLimit(settings.Streams, report, progress);
        await using var system = await TargetLauncher.StartAsync(settings, settings.Preset, progress, cancellationToken);
        report.Setup.Add($"target: {system.Description}");
        var tokens = system.Tokens ?? throw new UsageException("connections measures our gateway: use --target apphost or http://host:port.");
        await CreateTasksAsync(system, settings.Workload.Tasks, cancellationToken);
        var processes = system.Processes;
        foreach (var process in processes)
        {
            var limit = ProcStats.Read(process.ProcessId, countFiles: true).OpenFileLimit;
            report.Setup.Add($"{process.Name} (pid {process.ProcessId}) open-file limit {limit:N0}");
        }

        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, MaxConnectionsPerServer = int.MaxValue };
        using var http = new HttpClient(handler) { BaseAddress = system.Address, Timeout = Timeout.InfiniteTimeSpan };
        await WarmUpAsync(http, settings, tokens, progress, cancellationToken);
        var held = await OpenAndHoldAsync(http, settings, tokens, processes, progress, cancellationToken);

        report.Tables.Add(StreamsTable(settings, held, processes.Count > 0));
        if (processes.Count > 0)
        {
            AddPerProcessFigures(report, processes, held);
        }

        if (held.Counters.Failed > 0)
        {
            var reasons = string.Join("; ", held.Counters.FailureReasons.OrderByDescending(r => r.Value).Select(r => $"{r.Value:N0}× {r.Key}"));
            report.Failures.Add($"{held.Counters.Failed:N0} of {settings.Streams:N0} streams could not be opened ({reasons}); see the open-file limits above.");
        }
    }

    /// <summary>States the open-file limits the run needs and refuses to start when the harness's own is too low.</summary>
    private static void CheckOpenFileLimit(int streams, Report report, LiveProgress progress)
    {
        var ownLimit = ProcStats.OpenFileLimitOf("/proc/self");
        var need = $"This run needs open-file limits of at least {streams + Headroom:N0} for the harness (one socket per stream), " +
            $"{2 * streams + Headroom:N0} for the gateway while it speaks HTTP/1.1 to the Api (a client socket and an upstream socket per stream; " +
            $"{streams + Headroom:N0} with HTTP/2 to the Api) and {streams + Headroom:N0} for an Api replica in the worst case (all streams on one).";
        report.Setup.Add(need);
        progress.Message(need);
        if (ownLimit < streams + Headroom)
        {
            throw new UsageException($"The harness may open {ownLimit:N0} files (ulimit -n) but needs {streams + Headroom:N0} for {streams:N0} streams. {need}");
        }
    }

    private static async Task CreateTasksAsync(SystemUnderTest system, int tasks, CancellationToken cancellationToken)
    {
        using var channel = system.CreateChannel();
        for (var t = 0; t < tasks; t++)
        {
            await channel.CreateTaskAsync(TaskId(t), cancellationToken);
        }
    }

    /// <summary>What the held streams showed: counters, connect latency, /proc before and at the end, CPU and idle bytes while held.</summary>
    private sealed record HeldStreams(
        StreamCounters Counters, HistogramBase ConnectLatency, double RampSeconds, Dictionary<int, ProcStats> Before, Dictionary<int, ProcStats> AtEnd,
        double HarnessCpu, double SystemCpu, long IdleBytes, long BrokenDuringHold);

    /// <summary>Opens --streams streams evenly over --ramp, waits until each connected or failed, then holds them for --hold.</summary>
    private static async Task<HeldStreams> OpenAndHoldAsync(
        HttpClient http, RunSettings settings, TokenMinter tokens, IReadOnlyList<ObservedProcess> processes, LiveProgress progress, CancellationToken cancellationToken)
    {
        var streams = settings.Streams;
        var connectLatency = HistogramFactory.With64BitBucketSize().WithValuesFrom(1).WithValuesUpTo(600_000_000).WithPrecisionOf(3).WithThreadSafeWrites().Create();
        var streamTokens = Enumerable.Range(0, streams).Select(i => tokens.Create($"conn-{i}")).ToArray();
        var before = Read(processes);
        using var hold = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var counters = new StreamCounters();
        var open = new List<Task>(streams);
        var rampStart = Stopwatch.GetTimestamp();
        progress.Message($"Opening {streams:N0} streams over {settings.Workload.Ramp.TotalSeconds:0} s …");
        for (var i = 0; i < streams; i++)
        {
            var due = settings.Workload.Ramp * ((double)i / streams) - Stopwatch.GetElapsedTime(rampStart);
            if (due > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due, cancellationToken);
            }

            open.Add(HoldStreamAsync(http, TaskId(i % settings.Workload.Tasks), streamTokens[i], connectLatency, counters, hold.Token));
        }

        var waiting = Stopwatch.StartNew();
        while (counters.Connected + counters.Failed < streams && waiting.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100, cancellationToken);
        }

        var rampSeconds = Stopwatch.GetElapsedTime(rampStart).TotalSeconds;
        progress.Message($"{counters.Connected:N0} connected, {counters.Failed:N0} failed; holding for {settings.Hold.TotalSeconds:0} s …");
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var bytesAtHold = counters.Bytes;
        var cpu = new CpuMeter(processes);
        await Task.Delay(settings.Hold, cancellationToken);
        var (harnessCpu, systemCpu) = cpu.Sample();
        var atEnd = Read(processes);
        var idleBytes = counters.Bytes - bytesAtHold;
        var brokenDuringHold = counters.Broken;
        await hold.CancelAsync();
        await Task.WhenAll(open);
        return new HeldStreams(counters, connectLatency, rampSeconds, before, atEnd, harnessCpu, systemCpu, idleBytes, brokenDuringHold);
    }

    private static ReportTable StreamsTable(RunSettings settings, HeldStreams held, bool observed)
    {
        var connected = held.Counters.Connected;
        var latency = held.ConnectLatency;
        return new ReportTable("Streams", ["figure", "value"],
        [
            ["streams asked / connected / refused or failed", $"{settings.Streams:N0} / {connected:N0} / {held.Counters.Failed:N0}"],
            ["broken while held", held.BrokenDuringHold.ToString("N0", CultureInfo.InvariantCulture)],
            ["ramp (s)", held.RampSeconds.ToString("0.0", CultureInfo.InvariantCulture)],
            ["connect latency p50 / p99 / max (ms, request → headers)", latency.TotalCount == 0 ? "–"
                : $"{RunResult.Ms(latency.GetValueAtPercentile(50) / 1000.0)} / {RunResult.Ms(latency.GetValueAtPercentile(99) / 1000.0)} / {RunResult.Ms(latency.GetMaxValue() / 1000.0)}"],
            ["keepalive interval (s)", settings.KeepaliveInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)],
            ["idle bytes received per stream per s (keepalives)", connected == 0 ? "–" : (held.IdleBytes / (double)connected / settings.Hold.TotalSeconds).ToString("0.00", CultureInfo.InvariantCulture)],
            ["CPU while holding: api + gateway / harness (% of a core)", $"{(observed ? held.SystemCpu.ToString("0.0", CultureInfo.InvariantCulture) : "not observed")} / {held.HarnessCpu.ToString("0.0", CultureInfo.InvariantCulture)}"],
            ["keepalive cost, api + gateway (% of a core per 1,000 idle streams)", !observed || connected == 0 ? "–" : (held.SystemCpu / connected * 1000).ToString("0.00", CultureInfo.InvariantCulture)],
        ]);
    }

    /// <summary>Memory, open files and sockets per process from /proc, and the per-stream memory finding.</summary>
    private static void AddPerProcessFigures(Report report, IReadOnlyList<ObservedProcess> processes, HeldStreams held)
    {
        var connected = held.Counters.Connected;
        var rows = new List<IReadOnlyList<string>>();
        foreach (var process in processes)
        {
            var b = held.Before[process.ProcessId];
            var h = held.AtEnd[process.ProcessId];
            rows.Add(
            [
                process.Name,
                Mib(b.ResidentBytes) + " → " + Mib(h.ResidentBytes),
                connected == 0 ? "–" : Kib((h.ResidentBytes - b.ResidentBytes) / (double)connected),
                $"{b.OpenFiles:N0} → {h.OpenFiles:N0}",
                $"{b.Sockets:N0} → {h.Sockets:N0}",
                h.OpenFileLimit.ToString("N0", CultureInfo.InvariantCulture),
            ]);
        }

        var totalDelta = processes.Sum(p => held.AtEnd[p.ProcessId].ResidentBytes - held.Before[p.ProcessId].ResidentBytes);
        var gatewaySockets = processes.Where(p => p.Role == "gateway").Sum(p => held.AtEnd[p.ProcessId].Sockets - held.Before[p.ProcessId].Sockets);
        rows.Add(["api + gateway", "", connected == 0 ? "–" : Kib(totalDelta / (double)connected), "", "", ""]);
        report.Tables.Add(new ReportTable("Per process (from /proc: VmRSS, /proc/<pid>/fd, socket fds)",
            ["process", "resident MiB (before → held)", "KiB per stream", "open files", "sockets", "open-file limit"], rows));
        var perStream = connected == 0 ? double.NaN : totalDelta / (double)connected / 1024;
        report.Findings.Add(string.Create(CultureInfo.InvariantCulture,
            $"Memory per stream, api + gateway: {perStream:0.0} KiB (target ≤ 50 KiB). Gateway sockets per stream: {(connected == 0 ? 0 : gatewaySockets / (double)connected):0.00} (2 over HTTP/1.1 to the Api, about 1 with HTTP/2)."));
    }

    // Opens and closes a first batch of streams so the baseline is taken after JIT, pools and first-use allocations:
    // what remains in the figures is what the held streams cost.
    private static async Task WarmUpAsync(HttpClient http, RunSettings settings, TokenMinter tokens, LiveProgress progress, CancellationToken cancellationToken)
    {
        var count = Math.Min(200, Math.Max(20, settings.Streams / 10));
        progress.Message($"Warm-up: opening and closing {count} streams (not measured) …");
        var ignored = HistogramFactory.With64BitBucketSize().WithValuesFrom(1).WithValuesUpTo(600_000_000).WithPrecisionOf(3).WithThreadSafeWrites().Create();
        using var warmup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var counters = new StreamCounters();
        var open = Enumerable.Range(0, count)
            .Select(i => HoldStreamAsync(http, TaskId(i % settings.Workload.Tasks), tokens.Create($"warmup-{i}"), ignored, counters, warmup.Token))
            .ToList();
        var waiting = Stopwatch.StartNew();
        while (counters.Connected + counters.Failed < count && waiting.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100, cancellationToken);
        }

        await warmup.CancelAsync();
        await Task.WhenAll(open);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
    }

    private static string TaskId(int i) => $"conn-idle-{i}";

    private static Dictionary<int, ProcStats> Read(IReadOnlyList<ObservedProcess> processes) =>
        processes.ToDictionary(p => p.ProcessId, p => ProcStats.Read(p.ProcessId, countFiles: true));

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Kib(double bytes) => (bytes / 1024).ToString("0.0", CultureInfo.InvariantCulture);

    private static async Task HoldStreamAsync(HttpClient http, string taskId, string token, HistogramBase connectLatency, StreamCounters counters, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var connected = false;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/sse/tasks/{taskId}/events");
            request.Headers.Accept.ParseAdd("text/event-stream");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                counters.Fail($"HTTP {(int)response.StatusCode}");
                return;
            }

            connectLatency.RecordValue(Math.Max(1, LatencyRecorder.ToMicroseconds(Stopwatch.GetTimestamp() - started)));
            counters.Connect();
            connected = true;
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[256];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                counters.Receive(read);
            }

            counters.Break();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Held to the end.
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            if (connected)
            {
                counters.Break();
            }
            else
            {
                counters.Fail(ex.InnerException?.Message ?? ex.Message);
            }
        }
    }

    /// <summary>Counts shared by every stream of the run.</summary>
    private sealed class StreamCounters
    {
        private long _connected;
        private long _failed;
        private long _broken;
        private long _bytes;

        public long Connected => Interlocked.Read(ref _connected);

        public long Failed => Interlocked.Read(ref _failed);

        public long Broken => Interlocked.Read(ref _broken);

        public long Bytes => Interlocked.Read(ref _bytes);

        public void Connect() => Interlocked.Increment(ref _connected);

        /// <summary>Why streams could not be opened, and how often.</summary>
        public ConcurrentDictionary<string, int> FailureReasons { get; } = new();

        public void Fail(string reason)
        {
            Interlocked.Increment(ref _failed);
            FailureReasons.AddOrUpdate(reason, 1, (_, n) => n + 1);
        }

        public void Break() => Interlocked.Increment(ref _broken);

        public void Receive(int bytes) => Interlocked.Add(ref _bytes, bytes);
    }
}
