using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using TaskEvents.Client;

namespace TaskEvents.Emitter.Gateway;

/// <summary>
/// Gets tokens from the gateway's development endpoint, <c>POST /auth/dev-token {tenant, scopes, ttl_seconds}</c>,
/// and fetches a new one when the client reports a 401.
/// </summary>
internal sealed class DevTokenProvider(HttpClient http, Uri gateway, string tenant) : IDisposable
{
    private static readonly string[] Scopes = ["events:read", "events:write"];
    private const int TtlSeconds = 3600;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;

    public async ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is null || forceRefresh)
            {
                _token = await RequestAsync(cancellationToken);
            }

            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> RequestAsync(CancellationToken cancellationToken)
    {
        var uri = new Uri(gateway, "auth/dev-token");
        using var response = await http.PostAsJsonAsync(uri, new DevTokenRequest(tenant, Scopes, TtlSeconds), cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            throw new TaskEventsAuthenticationException(
                $"{uri} is not there: dev tokens are off on this gateway (or it is not a gateway); pass --token instead", response.StatusCode);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new TaskEventsAuthenticationException($"{uri} refused a dev token: {(int)response.StatusCode} {response.ReasonPhrase}", response.StatusCode);
        }

        var body = await response.Content.ReadFromJsonAsync<DevTokenResponse>(cancellationToken);
        return body?.AccessToken is { Length: > 0 } token
            ? token
            : throw new TaskEventsAuthenticationException($"{uri} answered without an access_token");
    }

    public void Dispose() => _gate.Dispose();

    private sealed record DevTokenRequest(
        [property: JsonPropertyName("tenant")] string Tenant,
        [property: JsonPropertyName("scopes")] IReadOnlyList<string> Scopes,
        [property: JsonPropertyName("ttl_seconds")] int TtlSeconds);

    private sealed record DevTokenResponse([property: JsonPropertyName("access_token")] string? AccessToken);
}
