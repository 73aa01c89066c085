using System.Globalization;
using System.Net;

namespace TaskEvents.SecurityTests.Attacks;

/// <summary>The TCP sockets the kernel has listening, from <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c>.</summary>
public static class ListeningSockets
{
    private const string ListenState = "0A";

    /// <summary>The addresses listening on <paramref name="port"/>.</summary>
    public static IReadOnlyList<IPAddress> On(int port) =>
        [.. All().Where(s => s.Endpoint.Port == port).Select(s => s.Endpoint.Address)];

    /// <summary>Where process <paramref name="pid"/> listens: the listening sockets among its open file descriptors.</summary>
    public static IReadOnlyList<IPEndPoint> OfProcess(int pid)
    {
        var inodes = new HashSet<string>();
        foreach (var descriptor in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            // A socket descriptor links to "socket:[inode]".
            if (new FileInfo(descriptor).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                inodes.Add(target["socket:[".Length..^1]);
            }
        }

        return [.. All().Where(s => inodes.Contains(s.Inode)).Select(s => s.Endpoint)];
    }

    private static IEnumerable<(IPEndPoint Endpoint, string Inode)> All()
    {
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields[3] == ListenState)
                {
                    var local = fields[1].Split(':');
                    yield return (new IPEndPoint(Parse(local[0]), int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture)), fields[9]);
                }
            }
        }
    }

    /// <summary>The kernel writes each 32-bit group of the address in host (little-endian) order.</summary>
    private static IPAddress Parse(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (var group = 0; group < bytes.Length; group += 4)
        {
            Array.Reverse(bytes, group, 4);
        }

        return new IPAddress(bytes);
    }
}
