using TaskEvents.LoadTests.Measurement;

namespace TaskEvents.LoadTests.Channels;

/// <summary>What the harness needs from a system under test: tasks, an in-order publisher per task, live subscriptions.</summary>
internal interface IEventChannel : IDisposable
{
    /// <summary>The most events one publish may carry (1 when the system takes one message per request).</summary>
    int MaxEventsPerPublish { get; }

    HttpCounters Counters { get; }

    Task CreateTaskAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>Appends one event per timestamp, in order, each carrying its publisher timestamp; returns the task's last seq once acknowledged.</summary>
    Task<long> PublishAsync(string taskId, ReadOnlyMemory<long> sentTimestamps, CancellationToken cancellationToken);

    /// <summary>Follows the task from after <paramref name="sinceSeq"/> until cancelled (or the stream ends), giving every event to the probe.</summary>
    Task SubscribeAsync(string taskId, long sinceSeq, SubscriberProbe probe, CancellationToken cancellationToken);
}
