namespace TaskEvents.Client.Serialization;

/// <summary>The parts of an RFC 9457 problem the client shows.</summary>
internal sealed record ProblemBody(string? Title, string? Detail);
