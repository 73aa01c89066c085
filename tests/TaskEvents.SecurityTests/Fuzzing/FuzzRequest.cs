using System.Text;

namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>
/// One generated input: a request written byte for byte. <paramref name="Target"/> and header values are sent as
/// Latin-1 (so any byte can be written); <see cref="Raw.Utf8"/> turns text into its UTF-8 bytes for them.
/// </summary>
public sealed record FuzzRequest(string Family, string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[]? Body)
{
    /// <summary>When false, no Content-Length is added for the body (the family writes its own framing headers).</summary>
    public bool FrameBody { get; init; } = true;

    public byte[] ToBytes(Uri server)
    {
        var head = new StringBuilder();
        head.Append(Method).Append(' ').Append(Target).Append(" HTTP/1.1\r\n");
        if (!Headers.Any(h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            head.Append("Host: ").Append(server.Authority).Append("\r\n");
        }

        foreach (var (name, value) in Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (Body is not null && FrameBody)
        {
            head.Append("Content-Length: ").Append(Body.Length).Append("\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. Body ?? []];
    }

    /// <summary>What to print so a failure can be found again: the family and the start of the request.</summary>
    public string Describe()
    {
        var headers = string.Join("; ", Headers.Select(h => $"{h.Key}: {Shorten(h.Value, 80)}"));
        var body = Body is null ? "no body" : $"{Body.Length} body bytes: {Shorten(Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 200))), 160)}";
        return $"[{Family}] {Method} {Shorten(Target, 200)} | {Shorten(headers, 400)} | {body}";
    }

    private static string Shorten(string text, int max) =>
        (text.Length <= max ? text : $"{text[..max]}…({text.Length} chars)").Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
