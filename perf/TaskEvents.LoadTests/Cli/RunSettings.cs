using TaskEvents.LoadTests.Load;
using TaskEvents.LoadTests.Targets;

namespace TaskEvents.LoadTests.Cli;

/// <summary>Everything a scenario was asked for on the command line.</summary>
internal sealed record RunSettings
{
    public required string Target { get; init; }

    /// <summary>apphost: PostgreSQL with fsync and synchronous commit on (the default, as users run it).</summary>
    public bool DurableDatabase { get; init; } = true;

    /// <summary>--harness-cpus: the harness and the system it starts on separate CPUs (null: both on every CPU).</summary>
    public CpuSplit? Cpus { get; init; }

    public required SsePreset Preset { get; init; }

    public required Workload Workload { get; init; }

    public required TimeSpan KeepaliveInterval { get; init; }

    public required string SigningKey { get; init; }

    public required string Issuer { get; init; }

    public string? ReportsDirectory { get; init; }

    public double? MaxP99Ms { get; init; }

    public double? MaxP50Ms { get; init; }

    public long? MaxErrors { get; init; }

    /// <summary>sweep: the presets compared, per-task rates (or a ramp from the first, times <see cref="RateFactor"/>, until p99 passes <see cref="StopP99Ms"/>).</summary>
    public IReadOnlyList<SsePreset> Presets { get; init; } = SsePreset.All;

    public IReadOnlyList<double> Rates { get; init; } = [];

    public double RateFactor { get; init; } = 2;

    public double MaxRate { get; init; } = 2000;

    public double StopP99Ms { get; init; } = 100;

    /// <summary>connections: idle streams to open, and how long to hold them.</summary>
    public int Streams { get; init; } = 1000;

    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(20);

    public bool TargetsAppHost => Target.Equals("apphost", StringComparison.OrdinalIgnoreCase) || BypassesGateway;

    /// <summary>apphost-direct: the AppHost's system with the harness talking to the Api replicas itself, as the gateway would route.</summary>
    public bool BypassesGateway => Target.Equals("apphost-direct", StringComparison.OrdinalIgnoreCase);

    public bool TargetsNchan => Target.Equals("nchan", StringComparison.OrdinalIgnoreCase);
}
