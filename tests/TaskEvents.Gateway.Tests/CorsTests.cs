using System.Net;

namespace TaskEvents.Gateway.Tests;

/// <summary>An allowlist of origins from configuration; everyone else gets no CORS headers at all.</summary>
public sealed class CorsTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task An_allowed_origin_may_read_responses()
    {
        using var client = fixture.Gateway.CreateHttpClient();

        using var response = await SendAsync(client, HttpMethod.Get, "/sse/health", GatewayFixture.AllowedOrigin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GatewayFixture.AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_succeeds_without_a_token()
    {
        using var client = fixture.Gateway.CreateHttpClient(null);

        using var response = await SendAsync(client, HttpMethod.Options, "/api/tasks", GatewayFixture.AllowedOrigin, preflight: true);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(GatewayFixture.AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Contains("authorization", Header(response, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("600", Header(response, "Access-Control-Max-Age"));
    }

    [Theory]
    [InlineData("https://evil.example.com")]
    [InlineData("http://app.example.com")]
    [InlineData("https://app.example.com.evil.example")]
    public async Task Another_origin_gets_no_cors_headers(string origin)
    {
        using var client = fixture.Gateway.CreateHttpClient();

        using var simple = await SendAsync(client, HttpMethod.Get, "/sse/health", origin);
        using var preflight = await SendAsync(client, HttpMethod.Options, "/api/tasks", origin, preflight: true);

        Assert.Equal(HttpStatusCode.OK, simple.StatusCode);
        Assert.DoesNotContain(simple.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(preflight.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task No_origin_is_allowed_by_default()
    {
        await using var gateway = await GatewayHost.StartAsync(fixture.Api);
        using var client = gateway.CreateHttpClient();

        using var simple = await SendAsync(client, HttpMethod.Get, "/sse/health", GatewayFixture.AllowedOrigin);
        using var preflight = await SendAsync(client, HttpMethod.Options, "/api/tasks", GatewayFixture.AllowedOrigin, preflight: true);

        Assert.DoesNotContain(simple.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(preflight.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("https://app.example.com/")]
    [InlineData("app.example.com")]
    public async Task An_allowlist_entry_that_is_not_an_origin_stops_the_gateway(string origin)
    {
        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            GatewayHost.StartAsync(fixture.Api, new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = origin }));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string origin, bool preflight = false)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Origin", origin);
        if (preflight)
        {
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        }

        return await client.SendAsync(request);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}
