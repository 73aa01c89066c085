using System.Collections;
using System.Diagnostics;

namespace TaskEvents.Api.Tests;

/// <summary>
/// Where an Api's in-memory OpenTelemetry exporter puts the spans it exports, from any thread. Every Api host of the test
/// process listens to the same sources, so it holds other tests' spans too: find yours by trace id or task.
/// </summary>
internal sealed class ExportedSpans : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count
    {
        get
        {
            lock (_spans)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public void Add(Activity item)
    {
        TaskCompletionSource added;
        lock (_spans)
        {
            _spans.Add(item);
            added = _added;
            _added = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        added.TrySetResult();
    }

    /// <summary>The first exported span that matches, once it has been exported.</summary>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> match, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task added;
            lock (_spans)
            {
                if (_spans.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                added = _added.Task;
            }

            try
            {
                await added.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No such span among the {Count} exported:\n" + string.Join("\n", Snapshot().Select(Describe)));
            }
        }
    }

    private static string Describe(Activity s) =>
        $"{s.Source.Name} {s.Kind} '{s.DisplayName}' {s.TraceId}/{s.SpanId} parent {s.ParentSpanId} links [{string.Join(", ", s.Links.Select(l => $"{l.Context.TraceId}/{l.Context.SpanId}"))}]";

    public List<Activity> Snapshot()
    {
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item) => Snapshot().Contains(item);

    public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

    public bool Remove(Activity item)
    {
        lock (_spans)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
