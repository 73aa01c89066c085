using TaskEvents.LoadTests.Channels;
using TaskEvents.LoadTests.Measurement;

namespace TaskEvents.LoadTests.Targets;

/// <summary>A started (or reached) system: how to talk to it, which of its processes to watch, and what it lets a storm do.</summary>
internal abstract class SystemUnderTest : IAsyncDisposable
{
    /// <summary>One line for the report: what ran, where, with which settings.</summary>
    public abstract string Description { get; }

    public abstract Uri Address { get; }

    /// <summary>Processes whose CPU, memory and sockets the harness reads from /proc (none for a gateway it did not start).</summary>
    public virtual IReadOnlyList<ObservedProcess> Processes => [];

    public abstract IEventChannel CreateChannel();

    /// <summary>Signs tokens the system accepts (null for a system without auth, i.e. Nchan).</summary>
    public virtual TokenMinter? Tokens => null;

    /// <summary>Restarts one Api replica (SIGTERM, then start again) and returns once it is healthy again.</summary>
    public virtual Task RestartApiReplicaAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{Description}: restarting an Api replica needs --target apphost (the harness must own the processes).");

    public abstract ValueTask DisposeAsync();
}
