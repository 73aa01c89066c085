using System.Net;

namespace TaskEvents.Gateway.Tests;

/// <summary>The page at <c>/</c> and the browser hardening headers every response carries.</summary>
public sealed class StaticContentTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Serves_the_page_at_the_root_with_security_headers()
    {
        using var client = fixture.Gateway.CreateHttpClient(null);

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>TaskEvents</title>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        AssertHardened(response);
    }

    [Fact]
    public async Task Proxied_responses_are_hardened_too()
    {
        using var client = fixture.Gateway.CreateHttpClient();

        using var response = await client.GetAsync("/api/tasks/not-there");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertHardened(response);
    }

    private static void AssertHardened(HttpResponseMessage response)
    {
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS is off unless configured.");
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : "";
}
