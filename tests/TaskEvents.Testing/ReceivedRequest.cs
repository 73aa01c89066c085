namespace TaskEvents.Testing;

/// <summary>
/// A request as a test host received it, before any of the app's middleware ran: with its protocol
/// (<c>HTTP/1.1</c>, <c>HTTP/2</c>) and the id of the connection it came on.
/// </summary>
public sealed record ReceivedRequest(
    string Method, string Path, string QueryString, IReadOnlyDictionary<string, string> Headers, string Protocol, string ConnectionId)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
