using System.Text.Json;
using TaskEvents.Contracts;

namespace TaskEvents.Testing;

/// <summary>One SSE frame as it crossed the wire: fields, or a comment line such as keepalive.</summary>
public sealed record SseFrame(string? Id, string? Data, string? Comment, string? Retry)
{
    public bool IsComment => Comment is not null;

    /// <summary>The <c>end</c> control message: the task ended and the server closes the stream.</summary>
    public bool IsEnd => Data is not null && JsonElement.Parse(Data).GetProperty("type").GetString() == ControlMessageTypes.End;
}
