namespace TaskEvents.Testing;

/// <summary>A request as a test host received it, before any of the app's middleware ran.</summary>
public sealed record ReceivedRequest(string Method, string Path, string QueryString, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
