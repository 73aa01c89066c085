namespace TaskEvents.Client.Tests.TestServers;

/// <summary>A request as a test server saw it, numbered from 1 in arrival order.</summary>
public sealed record RecordedRequest(
    int Number, string Method, string Path, string Query, string? Authorization, string? LastEventId, string Body, DateTimeOffset ReceivedAt)
{
    public bool IsStream => Path.StartsWith("/sse/", StringComparison.Ordinal);
}
