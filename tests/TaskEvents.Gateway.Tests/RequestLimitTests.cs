using System.Net;
using System.Text;

namespace TaskEvents.Gateway.Tests;

/// <summary>
/// Requests the Api would refuse are refused at the gateway with a 4xx, never a 502 from forwarding them.
/// Each case was a 502 found by fuzzing (SecurityTests).
/// </summary>
public sealed class RequestLimitTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task A_declared_body_over_1_MiB_is_413_problem_and_is_not_forwarded()
    {
        using var client = fixture.Gateway.CreateHttpClient();
        await client.CreateTaskAsync("big-body");
        var before = Forwarded("/api/tasks/big-body/events");
        var body = Encoding.ASCII.GetBytes($"{{\"event_type\": \"step\", \"payload\": {{\"s\": \"{new string('x', 1024 * 1024)}\"}}}}");

        var status = await RawHttp.StatusAsync(fixture.Gateway.BaseAddress,
            $"POST /api/tasks/big-body/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {TestTokens.Create()}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n", body);

        Assert.Equal(413, status);
        Assert.Equal(before, Forwarded("/api/tasks/big-body/events"));
        Assert.Equal(0, (await client.GetJsonAsync("/api/tasks/big-body")).GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task A_chunked_body_over_1_MiB_is_a_4xx_and_stores_nothing()
    {
        using var client = fixture.Gateway.CreateHttpClient();
        await client.CreateTaskAsync("big-chunked");
        var chunk = Encoding.ASCII.GetBytes(new string(' ', 1024 * 1024 + 100));
        byte[] body = [.. Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"), .. chunk, .. "\r\n0\r\n\r\n"u8];

        var status = await RawHttp.StatusAsync(fixture.Gateway.BaseAddress,
            $"POST /api/tasks/big-chunked/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {TestTokens.Create()}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", body);

        Assert.InRange(status, 400, 499);
        Assert.Equal(0, (await client.GetJsonAsync("/api/tasks/big-chunked")).GetProperty("last_seq").GetInt64());
    }

    [Theory]
    [InlineData("CONNECT /api/ HTTP/1.1")]
    [InlineData("PUT /api/tasks HTTP/1.1")]
    [InlineData("DELETE /sse/tasks/x/events HTTP/1.1")]
    [InlineData("FOO /api/tasks HTTP/1.1")]
    public async Task A_method_the_api_does_not_serve_is_a_4xx_at_the_gateway(string requestLine)
    {
        var status = await RawHttp.StatusAsync(fixture.Gateway.BaseAddress,
            $"{requestLine}\r\nHost: test\r\nAuthorization: Bearer {TestTokens.Create()}\r\nContent-Length: 0\r\n\r\n", []);

        Assert.InRange(status, 400, 499);
    }

    [Theory]
    [InlineData("/sse/health")]
    [InlineData("/api/tasks/anything")]
    public async Task A_header_value_outside_ascii_is_forwarded_not_a_502(string path)
    {
        // "１" (fullwidth digit one) as UTF-8 bytes in Last-Event-ID.
        byte[] request = [.. Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {TestTokens.Create()}\r\nLast-Event-ID: "),
            0xEF, 0xBC, 0x91, .. "\r\nX-Other: \u00ff\r\n\r\n"u8];

        var status = await RawHttp.StatusAsync(fixture.Gateway.BaseAddress, "", request);

        Assert.InRange(status, 200, 499);
    }

    [Theory]
    [InlineData("/api/tasks/anything", 95, 300)]
    [InlineData("/sse/health", 95, 300)]
    [InlineData("/api/tasks/anything", 1, 30 * 1024)]
    public async Task Headers_within_the_gateways_limits_are_forwarded_not_a_502(string path, int count, int size)
    {
        // Under the gateway's 100 headers / 32 KiB, then forwarded over h2c with the proxy's own headers added; with the
        // Api's limits equal to the gateway's, the Api refused the first two and the client got a 502. Found by fuzzing.
        var headers = string.Concat(Enumerable.Range(0, count).Select(i => $"X-Many-{i}: {new string('m', size)}\r\n"));

        var status = await RawHttp.StatusAsync(fixture.Gateway.BaseAddress,
            $"GET {path} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {TestTokens.Create()}\r\n{headers}\r\n", []);

        Assert.InRange(status, 200, 499);
    }

    [Fact]
    public async Task Headers_over_the_gateways_limits_are_431_at_the_gateway()
    {
        var headers = string.Concat(Enumerable.Range(0, 120).Select(i => $"X-Many-{i}: m\r\n"));

        var status = await RawHttp.StatusAsync(fixture.Gateway.BaseAddress, $"GET /sse/health HTTP/1.1\r\nHost: test\r\n{headers}\r\n", []);

        Assert.Equal(431, status);
    }

    private int Forwarded(string path) => fixture.Api.ReceivedRequests.Count(r => r.Path == path);
}
