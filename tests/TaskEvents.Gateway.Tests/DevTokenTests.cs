using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace TaskEvents.Gateway.Tests;

/// <summary><c>POST /auth/dev-token</c>: tokens the services accept, only when enabled, inputs checked.</summary>
public sealed class DevTokenTests : IAsyncLifetime
{
    private ApiHost _api = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHost.StartAsync();
        _gateway = await GatewayHost.StartAsync(_api, new Dictionary<string, string?> { ["DevTokens:Enabled"] = "true" });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Issues_a_token_for_the_requested_tenant_scopes_and_lifetime()
    {
        using var anonymous = _gateway.CreateHttpClient(null);

        var issued = await anonymous.PostJsonAsync("/auth/dev-token",
            new { tenant = "acme", scopes = new[] { "events:read", "events:write" }, ttl_seconds = 120 }, HttpStatusCode.OK);

        Assert.Equal("Bearer", issued.GetProperty("token_type").GetString());
        Assert.Equal(120, issued.GetProperty("expires_in").GetInt32());
        var accessToken = issued.GetProperty("access_token").GetString()!;
        var token = new JsonWebToken(accessToken);
        Assert.Equal("acme", token.GetClaim("tenant").Value);
        Assert.Equal("events:read events:write", token.GetClaim("scope").Value);
        Assert.Equal(TimeSpan.FromSeconds(120), token.ValidTo - token.ValidFrom);

        using var acme = _gateway.CreateHttpClient(accessToken);
        await acme.CreateTaskAsync("made-with-a-dev-token");
        using var otherTenant = _gateway.CreateHttpClient(TestTokens.Create(tenant: "default"));
        Assert.Equal(HttpStatusCode.NotFound, (await otherTenant.GetAsync("/api/tasks/made-with-a-dev-token")).StatusCode);
    }

    [Fact]
    public async Task Issued_scopes_are_all_a_token_can_do()
    {
        using var anonymous = _gateway.CreateHttpClient(null);
        var issued = await anonymous.PostJsonAsync("/auth/dev-token", new { scopes = new[] { "events:read" } }, HttpStatusCode.OK);
        using var reader = _gateway.CreateHttpClient(issued.GetProperty("access_token").GetString());

        using var response = await reader.PostAsync("/api/tasks", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_empty_request_gets_the_defaults()
    {
        using var anonymous = _gateway.CreateHttpClient(null);

        using var response = await anonymous.PostAsync("/auth/dev-token", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var issued = JsonElement.Parse(await response.Content.ReadAsStringAsync());
        var token = new JsonWebToken(issued.GetProperty("access_token").GetString());
        Assert.Equal("default", token.GetClaim("tenant").Value);
        Assert.Equal("events:read events:write", token.GetClaim("scope").Value);
        Assert.Equal(3600, issued.GetProperty("expires_in").GetInt32());
    }

    [Theory]
    [InlineData("{\"tenant\": \"\"}")]
    [InlineData("{\"tenant\": \"two words\"}")]
    [InlineData("{\"tenant\": 7}")]
    [InlineData("{\"scopes\": [\"admin\"]}")]
    [InlineData("{\"scopes\": []}")]
    [InlineData("{\"scopes\": \"events:read\"}")]
    [InlineData("{\"ttl_seconds\": 0}")]
    [InlineData("{\"ttl_seconds\": 86401}")]
    [InlineData("{\"ttl_seconds\": \"60\"}")]
    [InlineData("{\"ttl_seconds\": 1.5}")]
    [InlineData("{\"role\": \"admin\"}")]
    [InlineData("[1]")]
    [InlineData("{not json")]
    [InlineData("{\"tenant\": \"a\", \"tenant\": \"b\"}")]
    [InlineData("{\"tenant\": \"\\ud800\"}")]
    [InlineData("{\"\\udc00\": 1}")]
    public async Task Rejects_bad_requests_with_400_problem(string body)
    {
        using var anonymous = _gateway.CreateHttpClient(null);

        using var response = await anonymous.PostRawAsync("/auth/dev-token", body);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public async Task Rejects_invalid_utf8_in_a_name_or_value_with_400_problem(byte[] invalid)
    {
        // Found by fuzzing (SecurityTests): these were 500s.
        using var anonymous = _gateway.CreateHttpClient(null);
        foreach (var body in new[]
        {
            (byte[])[.. "{\"tenant\": \"acme"u8, .. invalid, .. "\"}"u8],
            (byte[])[.. "{\"ten"u8, .. invalid, .. "ant\": \"acme\"}"u8],
            (byte[])[.. "{\"scopes\": [\"events:read"u8, .. invalid, .. "\"]}"u8],
        })
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await anonymous.PostAsync("/auth/dev-token", content);

            await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task Rejects_a_body_that_is_not_json_with_415()
    {
        using var anonymous = _gateway.CreateHttpClient(null);

        using var response = await anonymous.PostRawAsync("/auth/dev-token", "tenant=acme", "application/x-www-form-urlencoded");

        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Is_off_unless_configured()
    {
        await using var gateway = await GatewayHost.StartAsync(_api);
        using var anonymous = gateway.CreateHttpClient(null);

        using var response = await anonymous.PostAsync("/auth/dev-token", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Is_on_in_development()
    {
        await using var gateway = await GatewayHost.StartAsync([_api], environment: "Development");
        using var anonymous = gateway.CreateHttpClient(null);

        using var response = await anonymous.PostAsync("/auth/dev-token", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Cannot_be_enabled_without_a_signing_key()
    {
        var settings = new Dictionary<string, string?>
        {
            ["DevTokens:Enabled"] = "true",
            ["Auth:SigningKey"] = "",
            ["Auth:Authority"] = "https://idp.example.com/realms/taskevents",
        };

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHost.StartAsync(_api, settings));

        Assert.Contains("DevTokens:Enabled needs Auth:SigningKey", failure.Message, StringComparison.Ordinal);
    }
}
