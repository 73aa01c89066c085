using System.Diagnostics;
using TaskEvents.Api.Events;

namespace TaskEvents.Api.Storage;

/// <summary>
/// One append request's events for one task: stored whole, or not at all. <paramref name="TraceContext"/> is the
/// request's trace (<see cref="Observability.AppendTraceContext"/>), stored with each event; default when not traced.
/// </summary>
public sealed record AppendRequest(TaskKey Key, IReadOnlyList<NewEvent> Events, ActivityContext TraceContext = default);
