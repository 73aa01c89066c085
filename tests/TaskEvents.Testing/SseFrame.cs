namespace TaskEvents.Testing;

/// <summary>One SSE frame as it crossed the wire: fields, or a comment line such as keepalive.</summary>
public sealed record SseFrame(string? Id, string? Data, string? Comment, string? Retry)
{
    public bool IsComment => Comment is not null;
}
