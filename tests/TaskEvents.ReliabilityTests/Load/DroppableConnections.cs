using System.Collections.Concurrent;
using System.Net.Sockets;

namespace TaskEvents.ReliabilityTests.Load;

/// <summary>
/// An HttpClient handler whose every TCP connection the test can drop at once, as a network blip or a NAT reset would
/// (the server sees the connections close, the client sees its streams end), and whose sockets can be given a small
/// receive buffer, so a slow reader pushes back on the server within a few kilobytes instead of megabytes.
/// </summary>
internal sealed class DroppableConnections
{
    private readonly ConcurrentDictionary<Socket, byte> _open = new();

    public DroppableConnections(int? receiveBufferBytes = null)
    {
        Handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                if (receiveBufferBytes is { } bytes)
                {
                    // Set before connecting: the window scale is agreed in the handshake.
                    socket.ReceiveBufferSize = bytes;
                }

                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }

                _open.TryAdd(socket, 0);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
    }

    public SocketsHttpHandler Handler { get; }

    /// <summary>Shuts every connection made so far down in both directions; returns how many there were.</summary>
    public int DropAll()
    {
        var dropped = 0;
        foreach (var socket in _open.Keys)
        {
            _open.TryRemove(socket, out _);
            try
            {
                socket.Shutdown(SocketShutdown.Both);
                dropped++;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already closed by its owner.
            }
        }

        return dropped;
    }
}
