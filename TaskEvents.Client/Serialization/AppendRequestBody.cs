namespace TaskEvents.Client.Serialization;

/// <summary>The batch append body, <c>{"events": [...]}</c>.</summary>
internal sealed record AppendRequestBody(IReadOnlyList<NewTaskEvent> Events);
