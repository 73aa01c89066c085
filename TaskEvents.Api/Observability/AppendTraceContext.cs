using System.Diagnostics;
using System.Globalization;

namespace TaskEvents.Api.Observability;

/// <summary>
/// The trace context stored with each event (column <c>trace_parent</c>, W3C traceparent): that of the append request that
/// stored it, so the span of its delivery, in whichever Api process, can link to the append.
/// </summary>
public static class AppendTraceContext
{
    /// <summary>The current request's context when it is recorded (a link to a span nobody records would lead nowhere), else default.</summary>
    public static ActivityContext Capture() =>
        Activity.Current is { Recorded: true, IdFormat: ActivityIdFormat.W3C } current ? current.Context : default;

    /// <summary>The context as a traceparent, or null for none.</summary>
    public static string? Format(ActivityContext context) =>
        context == default
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{(byte)context.TraceFlags:x2}");

    /// <summary>The stored traceparent as a context (remote: another process may have written it), or default for none.</summary>
    public static ActivityContext Parse(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;
}
