using System.Globalization;
using System.Text.Json;
using TaskEvents.Client;

namespace TaskEvents.Emitter.Output;

/// <summary>One event as a watch prints it: seq, type, phase, span, delivery latency (now − created_at) and payload.</summary>
internal static class EventLine
{
    public static string Format(TaskEvent taskEvent, TimeSpan latency)
    {
        var payload = taskEvent.Payload.ValueKind == JsonValueKind.Object && taskEvent.Payload.EnumerateObject().Any()
            ? " " + taskEvent.Payload.GetRawText()
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"#{taskEvent.Seq,-6} {taskEvent.EventType,-20} {taskEvent.Phase ?? "-",-10} span={taskEvent.SpanId ?? "-",-16} latency={latency.TotalMilliseconds,8:0.0} ms{payload}");
    }
}
