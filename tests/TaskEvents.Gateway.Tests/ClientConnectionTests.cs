using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace TaskEvents.Gateway.Tests;

/// <summary>
/// A client's keep-alive connection outlives requests the Api refuses before reading their body. Before the gateway read
/// bodies whole, the Api's early 403 made YARP cancel its pending read of the client's body, and Kestrel closed the
/// connection after the answer: the client's next request on it failed with no response (seen in CI as
/// "The response ended prematurely").
/// </summary>
public sealed class ClientConnectionTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task A_write_refused_before_its_body_arrived_leaves_the_connection_usable()
    {
        using var owner = fixture.Gateway.CreateHttpClient();
        await owner.CreateTaskAsync("refused-early");
        var readOnly = TestTokens.Create(scope: "events:read");
        var body = "{\"event_type\": \"step\"}"u8.ToArray();
        var head = $"POST /api/tasks/refused-early/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {readOnly}\r\n" +
                   $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(fixture.Gateway.BaseAddress.Host, fixture.Gateway.BaseAddress.Port, timeout.Token);
        var connection = tcp.GetStream();

        // A slow client: its body comes a moment after its headers, long enough for the Api to answer the headers alone.
        await connection.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
        await Task.Delay(TimeSpan.FromMilliseconds(300), timeout.Token);
        await connection.WriteAsync(body, timeout.Token);
        var first = await ReadStatusAsync(connection, timeout.Token);

        await connection.WriteAsync((byte[])[.. Encoding.ASCII.GetBytes(head), .. body], timeout.Token);
        var second = await ReadStatusAsync(connection, timeout.Token);

        Assert.Equal((403, 403), (first, second));
        Assert.Equal(0, (await owner.GetJsonAsync("/api/tasks/refused-early")).GetProperty("last_seq").GetInt64());
    }

    /// <summary>Reads one HTTP/1.1 response (Content-Length or chunked body) and returns its status code.</summary>
    private static async Task<int> ReadStatusAsync(Stream connection, CancellationToken cancellationToken)
    {
        var statusLine = await ReadLineAsync(connection, cancellationToken);
        var status = int.Parse(statusLine.Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var line = await ReadLineAsync(connection, cancellationToken); line.Length > 0; line = await ReadLineAsync(connection, cancellationToken))
        {
            var colon = line.IndexOf(':');
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        if (headers.TryGetValue("Content-Length", out var length))
        {
            await connection.ReadExactlyAsync(new byte[int.Parse(length, CultureInfo.InvariantCulture)], cancellationToken);
        }
        else if (headers.ContainsKey("Transfer-Encoding"))
        {
            for (var size = await ChunkSizeAsync(); size > 0; size = await ChunkSizeAsync())
            {
                await connection.ReadExactlyAsync(new byte[size + 2], cancellationToken);
            }

            await ReadLineAsync(connection, cancellationToken);
        }

        return status;

        async Task<int> ChunkSizeAsync() => int.Parse(await ReadLineAsync(connection, cancellationToken), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    private static async Task<string> ReadLineAsync(Stream connection, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await connection.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException($"The gateway closed the connection (read so far: \"{line}\").");
            }

            if (one[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)one[0]);
        }
    }
}
