using TaskEvents.Api.Events;

namespace TaskEvents.Api.Storage;

/// <summary>One append request's events for one task: stored whole, or not at all.</summary>
public sealed record AppendRequest(TaskKey Key, IReadOnlyList<NewEvent> Events);
