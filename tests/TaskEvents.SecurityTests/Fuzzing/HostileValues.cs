using System.Text;

namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>The dictionaries the generators draw from: values known to break parsers, ranges and framing.</summary>
public static class HostileValues
{
    /// <summary>Query values: types, ranges, overflow, formats a lenient parser might accept.</summary>
    public static readonly string[] Numbers =
    [
        "-1", "0", "1", "2", "100", "101", "1000", "1001", "0.05", "0.1", "5", "5.0", "5.1", "2.5", "1.5", "-0", "+1", " 1", "1 ", "%201",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "18446744073709551616", "99999999999999999999999",
        "2147483647", "2147483648", "1e3", "1e400", "-1e400", "NaN", "nan", "Infinity", "-Infinity", "inf", "0x10", "010", "1_000",
        "1,5", "١٢", "１", "true", "null", "[]", "{}", "", "%00", "%", "%zz", "%C0%AF", "%FF", "1%00", "1;2", "1&x", "a", "\u00e9",
        new string('9', 5000), "0." + new string('0', 400) + "1", "1" + new string('0', 310),
    ];

    public static readonly string[] QueryNames =
        ["since_seq", "limit", "batch_size", "flush_interval", "access_token", "task_id", "SINCE_SEQ", "since_seq[]", "since_seq%00", "", "%", "x"];

    /// <summary>Path segments where a task id goes: encodings, traversal, unicode, control bytes, sizes.</summary>
    public static readonly string[] PathSegments =
    [
        "a%2Fb", "a%2fb", "..%2F..%2Fhealth", "%2e%2e", "%2e%2e%2f%2e%2e%2fhealth", "..", ".", "...", "a/../b", "a%5Cb", "a\\b",
        "%00", "a%00b", "%0d%0aSet-Cookie:%20x=1", "%0A", "%20", "%20bad%20id", "%", "%Z", "%ZZ", "%C0%AE%C0%AE", "%FF%FE", "%E2%80%AE",
        "-starts-with-dash", "_under", ":colon", "a:b", "a.b", "a;b", "a;jsessionid=1", "a?b", "a#b", "a*b", "*", "~", "%7E",
        "AUX", "con", "NUL", "fuzz-open%00", "fuzz-open%20", "FUZZ-OPEN", "fuzz-open.", Raw.Utf8("задача"), Raw.Utf8("タスク"),
        Raw.Utf8("😀"), Raw.Utf8("fuzz\u202eopen"), Raw.Utf8("\u0130"), "%F0%9F%98%80", "%ED%A0%80", "\u00ff\u00fe", "\u0080",
        new string('a', 128), new string('a', 129), new string('a', 1000), new string('a', 10 * 1024), new string('a', 70 * 1024),
    ];

    /// <summary>Last-Event-ID values: garbage, overflow, framing and header injection.</summary>
    public static readonly string[] LastEventIds =
    [
        "", " ", "abc", "-1", "1.0", "1e3", "0x1", "9223372036854775808", "99999999999999999999", "1, 2", "1 2", "\t1", Raw.Utf8("１"),
        "1\r\ndata: injected", "1\r\n\r\ndata: x", "%31", new string('9', 9000), "\u00ff", "null", "0", "1", "2",
    ];

    /// <summary>Authorization values that are not a valid bearer token.</summary>
    public static string[] BadAuthorizations(string validToken) =>
    [
        "", "Bearer", "Bearer ", "Bearer  ", "bearer " + validToken, "BEARER " + validToken, "Basic dXNlcjpwYXNz", "Digest x",
        "Bearer not.a.jwt", "Bearer ...", "Bearer a.b", "Bearer " + validToken + "x", "Bearer " + validToken[..^3], "Bearer " + validToken + " extra",
        "Bearer " + new string('a', 20 * 1024), "Bearer " + Raw.Utf8("ключ.токен.подпись"), "Bearer \u00ff\u00fe", "Bearer e30.e30.",
        "Bearer eyJhbGciOiJub25lIn0.eyJ0ZW5hbnQiOiJkZWZhdWx0In0.", "Bearer %00", validToken,
    ];

    public static readonly string[] ContentTypes =
    [
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/jsonx",
        "application/json; charset=latin1", "application/json; charset=utf-16", "json", "*/*", "", "application/", ";", "\u00ff",
        "application/json, text/plain", "application/merge-patch+json", "application/problem+json", "APPLICATION/JSON",
    ];

    /// <summary>Strings that try to end an SSE frame early or smuggle a second event or field.</summary>
    public static readonly string[] FramingBreakers =
    [
        "\n\ndata: {\"seq\":999999}\n\n", "\r\n\r\nid: 999999\r\ndata: injected\r\n\r\n", "\rdata: x\r\r", "id: 5\n", "event: end\n\n",
        "retry: 0\n\n", ": comment\n\n", "\u2028data: x\u2029", "\u0085data: x", "\ndata: {\"type\":\"end\",\"last_seq\":0}\n\n", "\\n\\ndata: escaped",
    ];

    /// <summary>JSON bodies that are invalid whatever the endpoint (syntax, encoding, depth, duplicates, numbers), built once.</summary>
    public static IReadOnlyList<(string Name, byte[] Body)> InvalidJsonBodies => LazyInvalidJsonBodies.Value;

    private static readonly Lazy<List<(string Name, byte[] Body)>> LazyInvalidJsonBodies = new(() => [.. BuildInvalidJsonBodies()]);

    private static IEnumerable<(string Name, byte[] Body)> BuildInvalidJsonBodies()
    {
        yield return ("invalid UTF-8 (lone continuation)", [.. "{\"event_type\": \"a"u8, 0x80, .. "\"}"u8]);
        yield return ("invalid UTF-8 (overlong)", [.. "{\"event_type\": \"a"u8, 0xC0, 0xAF, .. "\"}"u8]);
        yield return ("invalid UTF-8 (truncated)", [.. "{\"event_type\": \"a"u8, 0xE2, 0x82, .. "\"}"u8]);
        yield return ("invalid UTF-8 (0xFF)", [0xFF, 0xFE, .. "{}"u8]);
        yield return ("UTF-16 body", Encoding.Unicode.GetBytes("{\"event_type\": \"step\"}"));
        yield return ("raw NUL in a string", [.. "{\"event_type\": \"st"u8, 0x00, .. "ep\"}"u8]);
        yield return ("raw NUL outside", [.. "{\"event_type\": \"step\"}"u8, 0x00]);
        yield return ("raw control char in string", Raw.Bytes("{\"event_type\": \"step\", \"payload\": {\"a\": \"\u0001\n\"}}"));
        yield return ("10,000-level array nesting", Raw.Bytes(new string('[', 10_000) + new string(']', 10_000)));
        yield return ("10,000-level object nesting in payload",
            Raw.Bytes("{\"event_type\": \"step\", \"payload\": " + string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_001)));
        yield return ("65-level nesting", Raw.Bytes("{\"event_type\": \"step\", \"payload\": " + string.Concat(Enumerable.Repeat("{\"a\":", 65)) + "1" + new string('}', 66)));
        yield return ("unclosed 10,000 nesting", Raw.Bytes(new string('[', 10_000)));
        yield return ("huge exponent", Raw.Bytes("{\"event_type\": \"step\", \"payload\": {\"n\": 1e400}}"));
        yield return ("huge negative exponent", Raw.Bytes("{\"event_type\": \"step\", \"payload\": {\"n\": -1e400}}"));
        yield return ("10,000-digit number", Raw.Bytes("{\"event_type\": \"step\", \"payload\": {\"n\": " + new string('7', 10_000) + "}}"));
        yield return ("NaN literal", Raw.Bytes("{\"event_type\": \"step\", \"payload\": {\"n\": NaN}}"));
        yield return ("leading zeros", Raw.Bytes("{\"event_type\": \"step\", \"payload\": {\"n\": 007}}"));
        yield return ("duplicate top-level key", Raw.Bytes("{\"event_type\": \"step\", \"event_type\": \"step\"}"));
        yield return ("duplicate payload key", Raw.Bytes("{\"event_type\": \"step\", \"payload\": {\"a\": 1, \"a\": 2}}"));
        yield return ("duplicate key in batch", Raw.Bytes("{\"events\": [{\"event_type\": \"step\", \"event_type\": \"x\"}]}"));
        yield return ("escaped duplicate key", Raw.Bytes("{\"event_type\": \"step\", \"event\\u005ftype\": \"step\"}"));
        yield return ("wrong type: event_type number", Raw.Bytes("{\"event_type\": 1}"));
        yield return ("wrong type: event_type array", Raw.Bytes("{\"event_type\": [\"step\"]}"));
        yield return ("wrong type: event_type object", Raw.Bytes("{\"event_type\": {}}"));
        yield return ("wrong type: events string", Raw.Bytes("{\"events\": \"step\"}"));
        yield return ("wrong type: payload array", Raw.Bytes("{\"event_type\": \"step\", \"payload\": []}"));
        yield return ("wrong type: payload number", Raw.Bytes("{\"event_type\": \"step\", \"payload\": 1}"));
        yield return ("wrong type: task_id number", Raw.Bytes("{\"task_id\": 1, \"event_type\": 5}"));
        yield return ("wrong type: metadata string", Raw.Bytes("{\"metadata\": \"x\", \"event_type\": false}"));
        yield return ("top-level array", Raw.Bytes("[{\"event_type\": \"step\"}]"));
        yield return ("top-level string", Raw.Bytes("\"step\""));
        yield return ("top-level number", Raw.Bytes("1"));
        yield return ("top-level null", Raw.Bytes("null"));
        yield return ("whitespace only", Raw.Bytes("   \n\t "));
        yield return ("trailing garbage", Raw.Bytes("{\"event_type\": \"step\"} x"));
        yield return ("two documents", Raw.Bytes("{\"event_type\": \"step\"}{\"event_type\": \"step\"}"));
        yield return ("comment", Raw.Bytes("{\"event_type\": \"step\" /* c */}"));
        yield return ("trailing comma", Raw.Bytes("{\"event_type\": \"step\",}"));
        yield return ("single quotes", Raw.Bytes("{'event_type': 'step'}"));
        yield return ("unquoted key", Raw.Bytes("{event_type: \"step\"}"));
        yield return ("escaped lone surrogate value", Raw.Bytes("{\"event_type\": \"step\", \"payload\": {\"a\": \"\\udfff\"}}"));
        yield return ("escaped lone surrogate key", Raw.Bytes("{\"event_type\": \"step\", \"payload\": {\"\\ud800x\": 1}}"));
        yield return ("escaped NUL in payload", Raw.Bytes("{\"event_type\": \"step\", \"payload\": {\"a\": \"\\u0000\"}}"));
        yield return ("escaped NUL in key", Raw.Bytes("{\"event_type\": \"step\", \"payload\": {\"\\u0000\": 1}}"));
        yield return ("bad escape", Raw.Bytes("{\"event_type\": \"st\\qep\"}"));
        yield return ("1 MiB string (over the body limit)", Raw.Bytes("{\"event_type\": \"step\", \"payload\": {\"s\": \"" + new string('x', 1024 * 1024) + "\"}}"));
        yield return ("near-1 MiB string (under the body limit, over the payload limit)",
            Raw.Bytes("{\"event_type\": \"step\", \"payload\": {\"s\": \"" + new string('x', 1024 * 1024 - 100) + "\"}}"));
        yield return ("1 MiB field name", Raw.Bytes("{\"" + new string('k', 1024 * 1024 - 10) + "\": 1}"));
        yield return ("501 events", Raw.Bytes("{\"events\": [" + string.Join(",", Enumerable.Repeat("{\"event_type\": \"step\"}", 501)) + "]}"));
        yield return ("empty events", Raw.Bytes("{\"events\": []}"));
        yield return ("100,000 tiny array items", Raw.Bytes("{\"event_type\": \"step\", \"payload\": {\"a\": [" + string.Join(",", Enumerable.Repeat("0", 100_000)) + "]}}"));
        yield return ("BOM then garbage", [0xEF, 0xBB, 0xBF, .. "{x"u8]);
    }
}
