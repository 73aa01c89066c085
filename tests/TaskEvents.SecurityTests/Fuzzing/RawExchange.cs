using System.Net.Sockets;
using System.Text;

namespace TaskEvents.SecurityTests.Fuzzing;

/// <summary>
/// One HTTP/1.1 exchange over a bare socket: the request bytes go out exactly as given (whatever HttpClient would
/// refuse to send), the answer is read by its own framing. Tells an answer apart from a dropped connection or a hang.
/// </summary>
public static class RawExchange
{
    private const int MaxHeadBytes = 256 * 1024;
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    public static async Task<RawOutcome> SendAsync(Uri server, string method, byte[] request, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(server.Host, server.Port, deadline.Token);
        }
        catch (SocketException ex)
        {
            return RawOutcome.Failed($"connect failed: {ex.SocketErrorCode}");
        }

        var stream = tcp.GetStream();
        // Written alongside the read: a server may answer (413, 431) and close before taking the whole request.
        var writing = WriteAsync(stream, request, deadline.Token);
        try
        {
            var response = await ReadResponseAsync(stream, method, deadline.Token);
            return response is null
                ? RawOutcome.Failed($"connection closed without an answer ({await WriteErrorAsync(writing)})")
                : RawOutcome.Answered(response);
        }
        catch (OperationCanceledException)
        {
            return RawOutcome.Failed($"no complete answer within {timeout.TotalSeconds} s (hang)");
        }
        catch (IOException ex)
        {
            return RawOutcome.Failed($"connection dropped while reading the answer: {ex.InnerException?.Message ?? ex.Message}");
        }
        finally
        {
            tcp.Client.Close(0);
            await WriteErrorAsync(writing);
        }
    }

    private static async Task WriteAsync(NetworkStream stream, byte[] request, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < request.Length; offset += 64 * 1024)
        {
            await stream.WriteAsync(request.AsMemory(offset, Math.Min(64 * 1024, request.Length - offset)), cancellationToken);
        }
    }

    private static async Task<string> WriteErrorAsync(Task writing)
    {
        try
        {
            await writing;
            return "request fully sent";
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            return $"request not fully sent: {ex.GetType().Name}";
        }
    }

    private static async Task<RawResponse?> ReadResponseAsync(NetworkStream stream, string method, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var response = await ReadOneResponseAsync(stream, method, buffer, chunk, cancellationToken);
            if (response is not { Status: >= 100 and < 200 })
            {
                return response;
            }

            // An interim answer (100 Continue): the real one follows.
            var rest = response.Body;
            buffer = new MemoryStream();
            buffer.Write(rest);
        }
    }

    private static async Task<RawResponse?> ReadOneResponseAsync(NetworkStream stream, string method, MemoryStream buffer, byte[] chunk, CancellationToken cancellationToken)
    {
        int headEnd;
        while ((headEnd = IndexOf(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), "\r\n\r\n"u8)) < 0)
        {
            if (buffer.Length > MaxHeadBytes)
            {
                throw new IOException("The response head is over 256 KiB.");
            }

            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        var all = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var head = Encoding.Latin1.GetString(all[..headEnd]).Split("\r\n");
        var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in head.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var previous) ? $"{previous}, {value}" : value;
        }

        var body = new MemoryStream();
        body.Write(all[(headEnd + 4)..]);
        if (status is (>= 100 and < 200) or 204 or 304 || method == "HEAD")
        {
            return new RawResponse(status, headers, body.ToArray(), StreamOpened: false);
        }

        if (headers.TryGetValue("Content-Type", out var type) && type.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            // A stream never ends by itself: its head is the answer.
            return new RawResponse(status, headers, body.ToArray(), StreamOpened: true);
        }

        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            return new RawResponse(status, headers, await ReadChunkedAsync(stream, body, chunk, cancellationToken), StreamOpened: false);
        }

        var length = headers.TryGetValue("Content-Length", out var declared) ? long.Parse(declared, System.Globalization.CultureInfo.InvariantCulture) : 0;
        while (body.Length < length)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                throw new IOException($"The body ended after {body.Length} of {length} bytes.");
            }

            body.Write(chunk, 0, read);
        }

        return new RawResponse(status, headers, body.ToArray(), StreamOpened: false);
    }

    private static async Task<byte[]> ReadChunkedAsync(NetworkStream stream, MemoryStream received, byte[] chunk, CancellationToken cancellationToken)
    {
        var pending = new List<byte>(received.ToArray());
        var decoded = new MemoryStream();
        async Task<bool> FillAsync()
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            pending.AddRange(chunk.AsSpan(0, read).ToArray());
            return read > 0;
        }

        while (true)
        {
            int lineEnd;
            while ((lineEnd = IndexOf(pending.ToArray(), "\r\n"u8)) < 0)
            {
                if (!await FillAsync())
                {
                    throw new IOException("The chunked body ended inside a chunk header.");
                }
            }

            var size = Convert.ToInt32(Encoding.ASCII.GetString(pending.GetRange(0, lineEnd).ToArray()).Split(';')[0].Trim(), 16);
            pending.RemoveRange(0, lineEnd + 2);
            if (size == 0)
            {
                return decoded.ToArray();
            }

            if (decoded.Length + size > MaxBodyBytes)
            {
                throw new IOException("The chunked body is over 4 MiB.");
            }

            while (pending.Count < size + 2)
            {
                if (!await FillAsync())
                {
                    throw new IOException("The chunked body ended inside a chunk.");
                }
            }

            decoded.Write(pending.GetRange(0, size).ToArray());
            pending.RemoveRange(0, size + 2);
        }
    }

    private static int IndexOf(ReadOnlySpan<byte> data, ReadOnlySpan<byte> value) => data.IndexOf(value);
}
