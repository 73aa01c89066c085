namespace TaskEvents.SystemTesting;

/// <summary>How a test or the load harness wants the AppHost's system started.</summary>
public sealed record TaskEventsSystemOptions
{
    /// <summary>The Aspire dashboard, on free loopback ports, logged into with <see cref="TaskEventsSystem.DashboardLoginUrl"/>.</summary>
    public bool Dashboard { get; init; }

    /// <summary>fsync and synchronous commit on, as the AppHost runs by default; off for a faster throwaway database.</summary>
    public bool DurableDatabase { get; init; }

    /// <summary>The demo emitter appends on its own; off when only the test's own traffic may reach the system.</summary>
    public bool Emitter { get; init; } = true;

    /// <summary>A data directory to keep (and reuse); null means a temporary one deleted when the system is disposed.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>More AppHost arguments, e.g. <c>--Sse:BatchSize=1</c> or <c>--ConnectionStrings:taskevents=…</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Where resource logs go (the test output); null drops them.</summary>
    public Action<string>? Log { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(3);
}
