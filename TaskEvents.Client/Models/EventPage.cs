namespace TaskEvents.Client;

/// <summary>One page of a task's events; read the next one from <see cref="NextSinceSeq"/> while <see cref="HasMore"/>.</summary>
public sealed record EventPage(string TaskId, IReadOnlyList<TaskEvent> Events, bool HasMore, long NextSinceSeq);
