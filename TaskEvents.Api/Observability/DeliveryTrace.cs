using System.Diagnostics;
using TaskEvents.Api.Events;

namespace TaskEvents.Api.Observability;

/// <summary>
/// One stream's delivery span for the batch it is writing, when <see cref="DeliverySpans"/> samples the batch: from the
/// batch's first event to its flush, a new trace linked to the append of each event in it. A link, not a parent: one
/// append fans out to every subscriber, and each subscriber's batch mixes appends, so each trace stays small.
/// A batch not sampled costs a flag check per event.
/// </summary>
public sealed class DeliveryTrace(DeliverySpans spans, TaskKey key)
{
    private List<ActivityLink>? _links;
    private bool _sampled;
    private DateTimeOffset _batchStart;
    private long _firstSeq;
    private long _lastSeq;

    /// <summary>A batch starts at <paramref name="timestamp"/> (<see cref="Stopwatch.GetTimestamp"/>): decides whether it gets a span.</summary>
    public void BatchStarted(long timestamp)
    {
        _sampled = spans.ShouldSample(timestamp);
        if (_sampled)
        {
            _batchStart = DateTimeOffset.UtcNow;
            _links ??= [];
        }
    }

    public void Add(StoredEvent storedEvent)
    {
        if (!_sampled)
        {
            return;
        }

        // Seqs start at 1: 0 means the batch has no event yet.
        if (_firstSeq == 0)
        {
            _firstSeq = storedEvent.Seq;
        }

        _lastSeq = storedEvent.Seq;
        var append = storedEvent.AppendContext;
        // One link per append: the events of one request are neighbours.
        if (append != default && _links!.Count < spans.MaxLinksPerSpan && (_links.Count == 0 || _links[^1].Context != append))
        {
            _links.Add(new ActivityLink(append, new ActivityTagsCollection { ["taskevents.seq"] = storedEvent.Seq }));
        }
    }

    /// <summary>
    /// Starts the span of the batch about to be flushed, or returns null when there is none. Dispose it, once flushed, in
    /// an async method: stopping a root span clears <see cref="Activity.Current"/>, and only an async method's caller is
    /// sure to get its own back.
    /// </summary>
    public Activity? StartFlush()
    {
        if (!_sampled)
        {
            return null;
        }

        _sampled = false;
        var tags = new ActivityTagsCollection
        {
            ["taskevents.tenant_id"] = key.TenantId,
            ["taskevents.task_id"] = key.TaskId,
            ["taskevents.seq.first"] = _firstSeq,
            ["taskevents.seq.last"] = _lastSeq,
        };

        // A root: without this it would be a child of the stream's request span, which lasts as long as the stream.
        var stream = Activity.Current;
        Activity.Current = null;
        try
        {
            return ApiTracing.Source.StartActivity(DeliverySpans.Name, ActivityKind.Producer, parentContext: default, tags, _links, _batchStart);
        }
        finally
        {
            Activity.Current = stream;
            _links!.Clear();
            _firstSeq = 0;
        }
    }
}
