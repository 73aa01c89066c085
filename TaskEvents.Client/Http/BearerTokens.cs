using System.Net.Http.Headers;

namespace TaskEvents.Client.Http;

/// <summary>Puts the provider's token on a request. The provider decides about caching; the client only asks for a refresh after a 401.</summary>
internal static class BearerTokens
{
    public static async ValueTask ApplyAsync(HttpRequestMessage request, AccessTokenProvider? provider, bool forceRefresh, CancellationToken cancellationToken)
    {
        if (provider is not null && await provider(forceRefresh, cancellationToken) is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }
}
