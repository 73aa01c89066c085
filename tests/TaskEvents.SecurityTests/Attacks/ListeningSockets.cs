using System.Globalization;
using System.Net;

namespace TaskEvents.SecurityTests.Attacks;

/// <summary>The addresses the kernel has sockets listening on for a TCP port, from <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c>.</summary>
public static class ListeningSockets
{
    private const string ListenState = "0A";

    public static IReadOnlyList<IPAddress> On(int port)
    {
        var addresses = new List<IPAddress>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1].Split(':');
                if (fields[3] == ListenState && int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    addresses.Add(Parse(local[0]));
                }
            }
        }

        return addresses;
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
