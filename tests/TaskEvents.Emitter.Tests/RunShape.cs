using System.Text.Json;

namespace TaskEvents.Emitter.Tests;

/// <summary>Checks that a stored agent run is well formed, with a message naming the first thing that is not.</summary>
internal static class RunShape
{
    public static void AssertWellFormedCompletedRun(IReadOnlyList<TaskEvent> events)
    {
        Assert.NotEmpty(events);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal("runner_spawn", events[0].EventType);
        Assert.Equal(TerminalEventTypes.Completed, events[^1].EventType);
        Assert.Single(events, e => e.IsTerminal);

        var progress = events.Where(e => e.EventType == "progress_update").Select(e => e.Payload.GetProperty("progress").GetInt32()).ToList();
        Assert.Equal(0, progress[0]);
        Assert.Equal(100, progress[^1]);
        Assert.All(progress.Zip(progress.Skip(1)), pair => Assert.True(pair.First <= pair.Second, $"progress fell from {pair.First} to {pair.Second}"));

        var phases = events.Where(e => e.EventType is "phase_enter" or "phase_exit").Select(e => $"{e.EventType}:{e.Phase}");
        Assert.Equal(
            ["phase_enter:planning", "phase_exit:planning", "phase_enter:executing", "phase_exit:executing", "phase_enter:verifying", "phase_exit:verifying"],
            phases);

        var phaseSpans = events.Where(e => e.EventType == "phase_enter").ToDictionary(e => e.SpanId!, e => e.Phase);
        var open = new Dictionary<string, TaskEvent>();
        foreach (var item in events.Where(e => e.EventType.StartsWith("work_item_", StringComparison.Ordinal)))
        {
            Assert.NotNull(item.SpanId);
            if (item.EventType == "work_item_start")
            {
                Assert.True(open.TryAdd(item.SpanId, item), $"span {item.SpanId} started twice");
                Assert.Equal(item.Phase, phaseSpans[item.ParentSpanId!]);
                continue;
            }

            Assert.True(open.ContainsKey(item.SpanId), $"{item.EventType} seq {item.Seq} for a span that is not open");
            Assert.Equal(open[item.SpanId].ParentSpanId, item.ParentSpanId);
            if (item.EventType is "work_item_complete" or "work_item_failed")
            {
                open.Remove(item.SpanId);
            }
        }

        Assert.Empty(open);
        Assert.All(events, e => Assert.Equal(JsonValueKind.Object, e.Payload.ValueKind));
    }
}
