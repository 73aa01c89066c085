using System.Net.Sockets;
using System.Text;

namespace TaskEvents.Testing;

/// <summary>Speaks HTTP/1.1 over a bare socket, for requests HttpClient will not send as written.</summary>
public static class RawHttp
{
    /// <summary>Sends the request head and body bytes as given and returns the status code of the answer.</summary>
    public static async Task<int> StatusAsync(Uri server, string head, byte[] body, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
        await stream.WriteAsync(body, timeout.Token);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync(timeout.Token) ?? throw new IOException("The server closed the connection without answering.");
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
