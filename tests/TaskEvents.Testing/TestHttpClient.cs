using System.Net.Http.Headers;

namespace TaskEvents.Testing;

/// <summary>HttpClients the tests talk to the hosts with.</summary>
public static class TestHttpClient
{
    /// <summary>A plain HttpClient over real sockets, with no timeout so it can hold streams open, sending <paramref name="accessToken"/> if given.</summary>
    public static HttpClient Create(Uri baseAddress, string? accessToken)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (accessToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return client;
    }
}
