using System.Net;
using System.Text;
using System.Text.Json;
using TaskEvents.SecurityTests.Reporting;

namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>
/// Payload strings built to break SSE framing (<c>"\n\ndata: ..."</c>, bare CRs, <c>id:</c> and <c>event:</c> lines) come
/// back inside one JSON <c>data:</c> line per event, read with the spec's line rules (CR, LF and CRLF all end a line),
/// through the gateway and straight from the Api: never an extra event, field or frame.
/// </summary>
public sealed class SseFramingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Pieces = ["\n", "\r", "\r\n", "\n\n", "data: ", "id: ", "event: ", "retry: ", ":", "\u2028", "\u2029", "\u0085", "\"", "\\", "}", "{", "x", "é", "😀", " "];

    private ApiHost _api = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHost.StartAsync();
        _gateway = await GatewayHost.StartAsync(_api);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Framing_breakers_in_payloads_stay_inside_one_data_line()
    {
        var seed = FuzzScale.Seed;
        var random = new Random(seed);
        var count = FuzzScale.FullRun ? 1_000 : 120;
        var texts = HostileValues.FramingBreakers
            .Concat(Enumerable.Range(0, count - HostileValues.FramingBreakers.Length).Select(_ => Generate(random)))
            .ToList();
        output.WriteLine($"{texts.Count} framing-breaker payloads, seed {seed}.");
        using var client = _api.CreateHttpClient();
        await client.CreateTaskAsync("framing");
        foreach (var batch in texts.Chunk(100))
        {
            await client.PostJsonAsync("/api/tasks/framing/events", new
            {
                events = batch.Select(text => new { event_type = "step", payload = new Dictionary<string, string> { ["text"] = text, [text] = "key" } }),
            }, HttpStatusCode.Created);
        }

        await client.PostJsonAsync("/api/tasks/framing/events", new { event_type = "task_completed" }, HttpStatusCode.Created);

        foreach (var (surface, host) in new[] { ("api", _api.BaseAddress), ("gateway", _gateway.BaseAddress) })
        {
            using var reader = TestHttpClient.Create(host, TestTokens.Create());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            using var response = await reader.GetAsync("/sse/tasks/framing/events?batch_size=100&flush_interval=0.1", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var wire = await response.Content.ReadAsStringAsync(timeout.Token);
            var frames = SplitFrames(wire);

            var events = frames.Where(f => f.Any(l => l.StartsWith("id:", StringComparison.Ordinal))).ToList();
            Assert.True(events.Count == texts.Count + 1, $"{surface}: {events.Count} event frames for {texts.Count + 1} events");
            for (var i = 0; i < texts.Count; i++)
            {
                var frame = events[i];
                Assert.True(frame.Count == 2 && frame[0] == $"id: {i + 1}" && frame[1].StartsWith("data: ", StringComparison.Ordinal),
                    $"{surface}: event {i + 1} is not exactly an id line and one data line: {string.Join(" | ", frame)}");
                var payload = JsonElement.Parse(frame[1]["data: ".Length..]).GetProperty("payload");
                Assert.Equal(texts[i], payload.GetProperty("text").GetString());
                Assert.Equal("key", payload.GetProperty(texts[i]).GetString());
            }

            // What is not an event: the retry hint first, the end message last. Nothing else.
            var others = frames.Except(events).Select(f => string.Join(" | ", f)).ToList();
            Assert.Equal(["retry: 1000", "data: {\"type\":\"end\",\"last_seq\":" + (texts.Count + 1) + ",\"status\":\"completed\"}"], others);
            output.WriteLine($"{surface}: {events.Count} events, each one id line and one data line.");
        }
    }

    /// <summary>Frames as an EventSource sees them: lines end at CRLF, LF or CR; a blank line ends a frame; comments dropped.</summary>
    private static List<List<string>> SplitFrames(string wire)
    {
        var frames = new List<List<string>>();
        var current = new List<string>();
        foreach (var line in wire.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n'))
        {
            if (line.Length == 0)
            {
                if (current.Count > 0)
                {
                    frames.Add(current);
                    current = [];
                }
            }
            else if (!line.StartsWith(':'))
            {
                current.Add(line);
            }
        }

        Assert.Empty(current);
        return frames;
    }

    private static string Generate(Random random)
    {
        var text = new StringBuilder();
        for (var i = random.Next(1, 12); i > 0; i--)
        {
            text.Append(Pieces[random.Next(Pieces.Length)]);
        }

        return text.ToString();
    }
}
