using System.Globalization;
using System.Text.Json;
using TaskEvents.Client;
using static TaskEvents.Emitter.Runs.DemoEventTypes;

namespace TaskEvents.Emitter.Runs;

/// <summary>
/// Writes the events of one plausible agent run: the runner spawns, plans, executes work items (some fail), checkpoints,
/// verifies and completes, with span ids tying work items to their phase and progress rising from 0 to 100.
/// Every event carries its event_id from the start, so re-sending a batch after an outage stores nothing twice.
/// </summary>
internal sealed class AgentRunScript
{
    private const double FailureRate = 0.15;

    private readonly Random _random;
    private readonly string _actor;
    private readonly string _runSpan;
    private readonly List<NewTaskEvent> _events = [];

    private AgentRunScript(Random random)
    {
        _random = random;
        _actor = $"runner-{random.Next(1, 100)}";
        _runSpan = NewSpanId();
    }

    /// <summary>
    /// A run of exactly <paramref name="eventCount"/> events, the last one <c>task_completed</c> when <paramref name="complete"/>.
    /// Runs shorter than the fixed opening and closing keep their beginning (and the completion).
    /// </summary>
    public static IReadOnlyList<NewTaskEvent> Create(Random random, int eventCount, bool complete)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(eventCount, 1);
        var script = new AgentRunScript(random);
        var opening = script.Opening();
        var closing = script.Closing(complete);
        var middle = eventCount - opening.Count - closing.Count;
        List<NewTaskEvent> events;
        if (middle >= 0)
        {
            events = [.. opening, .. script.Execution(opening[^1].SpanId!, middle), .. closing];
        }
        else
        {
            events = [.. opening, .. closing];
            events = complete ? [.. events.Take(eventCount - 1), closing[^1]] : [.. events.Take(eventCount)];
        }

        return WithRisingProgress(events);
    }

    private List<NewTaskEvent> Opening()
    {
        var planSpan = NewSpanId();
        var planItem = NewSpanId();
        return
        [
            Event(RunnerSpawn, null, _runSpan, null, new { runner_id = _actor, model = "demo-agent", attempt = 1 }),
            Event(ProgressUpdate, null, _runSpan, null, null),
            Event(PhaseEnter, Planning, planSpan, _runSpan, new { phase = Planning }),
            Event(WorkItemStart, Planning, planItem, planSpan, new { title = "Draft the plan" }),
            Event(WorkItemComplete, Planning, planItem, planSpan, new { title = "Draft the plan", steps = _random.Next(3, 9) }),
            Event(PhaseExit, Planning, planSpan, _runSpan, new { phase = Planning, duration_ms = _random.Next(200, 2000) }),
            Event(CheckpointCommit, Planning, NewSpanId(), _runSpan, new { checkpoint = 1 }),
            Event(PhaseEnter, Executing, NewSpanId(), _runSpan, new { phase = Executing }),
        ];
    }

    /// <summary>Work items filling exactly <paramref name="budget"/> events; an item is only opened when there is room to close it.</summary>
    private List<NewTaskEvent> Execution(string phaseSpan, int budget)
    {
        var events = new List<NewTaskEvent>(budget);
        var item = 0;
        string? open = null;
        var percent = 0;
        while (events.Count < budget)
        {
            var room = budget - events.Count;
            if (open is null)
            {
                if (room >= 2)
                {
                    open = NewSpanId();
                    percent = 0;
                    item++;
                    events.Add(Event(WorkItemStart, Executing, open, phaseSpan, new { title = $"Work item {item}", item }));
                }
                else
                {
                    events.Add(Event(ProgressUpdate, Executing, phaseSpan, _runSpan, null));
                }

                continue;
            }

            if (room == 1 || _random.NextDouble() < 0.4)
            {
                events.Add(_random.NextDouble() < FailureRate
                    ? Event(WorkItemFailed, Executing, open, phaseSpan, new { item, error = "tool call timed out", retryable = true })
                    : Event(WorkItemComplete, Executing, open, phaseSpan, new { item, files_changed = _random.Next(0, 6) }));
                open = null;
                if (events.Count < budget)
                {
                    events.Add(item % 3 == 0
                        ? Event(CheckpointCommit, Executing, NewSpanId(), _runSpan, new { checkpoint = 1 + item / 3 })
                        : Event(ProgressUpdate, Executing, phaseSpan, _runSpan, null));
                }

                continue;
            }

            percent = Math.Min(95, percent + _random.Next(10, 40));
            events.Add(Event(WorkItemProgress, Executing, open, phaseSpan, new { item, percent }));
        }

        return events;
    }

    private List<NewTaskEvent> Closing(bool complete)
    {
        var verifySpan = NewSpanId();
        var verifyItem = NewSpanId();
        List<NewTaskEvent> closing =
        [
            Event(PhaseExit, Executing, NewSpanId(), _runSpan, new { phase = Executing }),
            Event(PhaseEnter, Verifying, verifySpan, _runSpan, new { phase = Verifying }),
            Event(WorkItemStart, Verifying, verifyItem, verifySpan, new { title = "Run the checks" }),
            Event(WorkItemComplete, Verifying, verifyItem, verifySpan, new { title = "Run the checks", passed = true }),
            Event(PhaseExit, Verifying, verifySpan, _runSpan, new { phase = Verifying }),
            Event(CheckpointCommit, Verifying, NewSpanId(), _runSpan, new { checkpoint = "final" }),
            Event(ProgressUpdate, null, _runSpan, null, null),
        ];
        if (complete)
        {
            closing.Add(Event(TaskCompleted, null, _runSpan, null, new { summary = "demo run finished" }));
        }

        return closing;
    }

    /// <summary>Fills in progress_update values from 0 (the first) to 100 (the last), rising with position in the run.</summary>
    private static List<NewTaskEvent> WithRisingProgress(List<NewTaskEvent> events)
    {
        var positions = events.Select((e, i) => (e, i)).Where(p => p.e.EventType == ProgressUpdate).Select(p => p.i).ToList();
        if (positions.Count == 0)
        {
            return events;
        }

        var first = positions[0];
        var span = Math.Max(1, positions[^1] - first);
        foreach (var position in positions)
        {
            var progress = positions.Count == 1 ? 0 : (int)Math.Round(100.0 * (position - first) / span);
            events[position] = events[position] with { Payload = JsonSerializer.SerializeToElement(new { progress }) };
        }

        return events;
    }

    private NewTaskEvent Event(string eventType, string? phase, string spanId, string? parentSpanId, object? payload) => new(eventType)
    {
        EventId = Guid.CreateVersion7().ToString(),
        Phase = phase,
        Actor = _actor,
        SpanId = spanId,
        ParentSpanId = parentSpanId,
        Payload = payload is null ? null : JsonSerializer.SerializeToElement(payload),
    };

    private string NewSpanId() => _random.NextInt64().ToString("x16", CultureInfo.InvariantCulture);
}
