using System.CommandLine;
using System.Globalization;
using TaskEvents.LoadTests.Channels;
using TaskEvents.LoadTests.Load;
using TaskEvents.LoadTests.Targets;

namespace TaskEvents.LoadTests.Cli;

/// <summary>The options every scenario takes (with that scenario's defaults) and reads them into <see cref="RunSettings"/>.</summary>
internal sealed class ScenarioOptions
{
    private readonly Option<string> _target = new("--target")
    {
        Description = "apphost: start the whole system (the AppHost through Aspire.Hosting.Testing: 2 Api replicas, gateway, durable PostgreSQL) with the preset's Sse settings; " +
            "http://host:port: a running gateway (server settings are its own; batch_size/flush_interval still follow the preset); " +
            "apphost-direct: the same system with the gateway left out (appends to the replica the gateway sends them to, streams alternating over the replicas), to see what its hop costs; " +
            "nchan: nginx + Nchan started on loopback.",
        DefaultValueFactory = _ => "apphost",
    };

    private readonly Option<bool> _nonDurable = new("--non-durable-database")
    {
        Description = "apphost: run PostgreSQL with fsync, synchronous_commit and full_page_writes off, for a second figure labelled as such " +
            "(default: durable, as the AppHost runs it for users).",
    };

    private readonly Option<string?> _harnessCpus = new("--harness-cpus")
    {
        Description = "Linux: run the harness on these CPUs (e.g. 2,3 or 2-3) and the system it starts (apphost, apphost-direct, nchan) on the others, " +
            "so the load generator does not take its CPU from what it measures (default: everything shares every CPU).",
    };

    private readonly Option<string> _preset;
    private readonly Option<int> _tasks;
    private readonly Option<int> _subscribers;
    private readonly Option<double> _rate;
    private readonly Option<int> _duration;
    private readonly Option<int> _warmup;
    private readonly Option<int> _ramp;
    private readonly Option<double> _keepalive;

    private readonly Option<string> _signingKey = new("--signing-key")
    {
        Description = "HS256 key to sign tokens for an http:// target (every subscriber and publisher is its own client). Default: the Development key.",
        DefaultValueFactory = _ => TokenMinter.DevelopmentSigningKey,
    };

    private readonly Option<string> _issuer = new("--issuer") { Description = "Token issuer for an http:// target.", DefaultValueFactory = _ => TokenMinter.DevelopmentIssuer };
    private readonly Option<string?> _reports = new("--reports-dir") { Description = "Where to write the report (default perf/reports/<timestamp>/ in the repository)." };
    private readonly Option<double?> _maxP99 = new("--max-p99-ms") { Description = "Fail (exit code 1) when a run's p99 delivery latency is above this many ms." };
    private readonly Option<double?> _maxP50 = new("--max-p50-ms") { Description = "Fail (exit code 1) when a run's p50 delivery latency is above this many ms." };
    private readonly Option<long?> _maxErrors = new("--max-errors") { Description = "Fail (exit code 1) when a run counts more failed requests or broken streams than this (default: errors are reported, not failed)." };

    private readonly Option<string> _presets = new("--presets")
    {
        Description = "sweep: comma-separated presets (low-latency, default, high-throughput, or batch/flush/poll).",
        DefaultValueFactory = _ => string.Join(',', SsePreset.All.Select(p => p.Name)),
    };

    private readonly Option<string?> _rates = new("--rates") { Description = "sweep: comma-separated events/s per task to run (default: a ramp from --rate times --rate-factor)." };
    private readonly Option<double> _rateFactor = new("--rate-factor") { Description = "sweep: each ramp step multiplies the per-task rate by this.", DefaultValueFactory = _ => 2 };
    private readonly Option<double> _maxRate = new("--max-rate") { Description = "sweep: the ramp stops at this per-task rate.", DefaultValueFactory = _ => 2000 };
    private readonly Option<double> _stopP99 = new("--stop-p99-ms") { Description = "sweep: the ramp of a preset stops once p99 is above this and rising (or delivery falls behind the offered rate); the findings name the highest delivered rate under it.", DefaultValueFactory = _ => 100 };
    private readonly Option<int> _streams = new("--streams") { Description = "connections: idle streams to open through the gateway.", DefaultValueFactory = _ => 1000 };
    private readonly Option<int> _hold = new("--hold") { Description = "connections: seconds to hold the streams open once all are connected.", DefaultValueFactory = _ => 20 };

    private readonly Command _command;

    public ScenarioOptions(Command command, LoadTestCommandLine.Defaults defaults)
    {
        _command = command;
        _preset = new Option<string>("--preset")
        {
            Description = "Stream tuning: low-latency (BatchSize 1, FlushInterval 0.1 s, PollInterval 0.05 s), default (10 / 0.5 / 0.1), " +
                "high-throughput (50 / 2.0 / 0.5), or batch/flush/poll.",
            DefaultValueFactory = _ => defaults.Preset,
        };
        _tasks = new Option<int>("--tasks") { Description = "Tasks (T); storm and connections spread their subscribers or streams over them.", DefaultValueFactory = _ => defaults.Tasks };
        _subscribers = new Option<int>("--subscribers") { Description = "Subscribers per task (S), closed model: ramped, then kept.", DefaultValueFactory = _ => defaults.Subscribers };
        _rate = new Option<double>("--rate") { Description = "Events/s per task (R), open model: arrivals spread evenly, each stamped with its due time.", DefaultValueFactory = _ => defaults.Rate };
        _duration = new Option<int>("--duration") { Description = "Measured seconds (D); sweep: per step.", DefaultValueFactory = _ => defaults.Duration };
        _warmup = new Option<int>("--warmup") { Description = "Seconds of publishing before the measured window (not in the figures).", DefaultValueFactory = _ => defaults.Warmup };
        _ramp = new Option<int>("--ramp") { Description = "Seconds over which subscribers (or streams) connect, evenly.", DefaultValueFactory = _ => defaults.Ramp };
        _keepalive = new Option<double>("--keepalive")
        {
            Description = "Seconds: the Api's Sse:KeepaliveInterval (apphost) and the client's watchdog basis.",
            DefaultValueFactory = _ => defaults.Keepalive,
        };
        Option[] all = [_target, _nonDurable, _harnessCpus, _preset, _tasks, _subscribers, _rate, _duration, _warmup, _ramp, _keepalive, _signingKey, _issuer, _reports, _maxP99, _maxP50, _maxErrors];
        foreach (var option in all)
        {
            command.Options.Add(option);
        }

        switch (command.Name)
        {
            case "sweep":
                command.Options.Add(_presets);
                command.Options.Add(_rates);
                command.Options.Add(_rateFactor);
                command.Options.Add(_maxRate);
                command.Options.Add(_stopP99);
                break;
            case "connections":
                command.Options.Add(_streams);
                command.Options.Add(_hold);
                break;
        }
    }

    public RunSettings Read(ParseResult parsed)
    {
        var tasks = Positive(parsed.GetValue(_tasks), "--tasks");
        var settings = new RunSettings
        {
            Target = parsed.GetValue(_target)!,
            DurableDatabase = !parsed.GetValue(_nonDurable),
            Cpus = parsed.GetValue(_harnessCpus) is { } harnessCpus ? CpuSplit.Parse(harnessCpus, CpuSplit.AllowedCpus()) : null,
            Preset = SsePreset.Parse(parsed.GetValue(_preset)!),
            Workload = new Workload(
                tasks,
                parsed.GetValue(_subscribers),
                parsed.GetValue(_rate),
                TimeSpan.FromSeconds(parsed.GetValue(_duration)),
                TimeSpan.FromSeconds(parsed.GetValue(_warmup)),
                TimeSpan.FromSeconds(parsed.GetValue(_ramp))),
            KeepaliveInterval = TimeSpan.FromSeconds(parsed.GetValue(_keepalive)),
            SigningKey = parsed.GetValue(_signingKey)!,
            Issuer = parsed.GetValue(_issuer)!,
            ReportsDirectory = parsed.GetValue(_reports),
            MaxP99Ms = parsed.GetValue(_maxP99),
            MaxP50Ms = parsed.GetValue(_maxP50),
            MaxErrors = parsed.GetValue(_maxErrors),
        };
        return _command.Name switch
        {
            "sweep" => settings with
            {
                Presets = parsed.GetValue(_presets)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(SsePreset.Parse).ToList(),
                Rates = parsed.GetValue(_rates) is { } rates
                    ? rates.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToList()
                    : [],
                RateFactor = parsed.GetValue(_rateFactor),
                MaxRate = parsed.GetValue(_maxRate),
                StopP99Ms = parsed.GetValue(_stopP99),
            },
            "connections" => settings with { Streams = Positive(parsed.GetValue(_streams), "--streams"), Hold = TimeSpan.FromSeconds(parsed.GetValue(_hold)) },
            _ => settings,
        };
    }

    private static int Positive(int value, string name) => value > 0 ? value : throw new UsageException($"{name} must be at least 1.");
}
