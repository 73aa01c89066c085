using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace TaskEvents.Gateway.Tests;

/// <summary>With an HTTPS endpoint and <c>SecurityHeaders:Hsts</c> on: HSTS over HTTPS, plain HTTP redirected.</summary>
public sealed class HttpsTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>, IDisposable
{
    private const string HostName = "gateway.test";

    private readonly X509Certificate2 _certificate = TestCertificates.CreateSelfSigned(HostName);

    public void Dispose() => _certificate.Dispose();

    [Fact]
    public async Task Sends_hsts_over_https_and_redirects_http_when_configured()
    {
        await using var gateway = await GatewayHost.StartAsync([fixture.Api],
            new Dictionary<string, string?> { ["SecurityHeaders:Hsts"] = "true", ["SecurityHeaders:HstsMaxAgeDays"] = "30" },
            httpsCertificate: _certificate);

        using var secure = await GetAsync(gateway.HttpsAddress!, "/");
        using var plain = await GetAsync(gateway.BaseAddress, "/sse/health");

        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Equal("max-age=2592000", Header(secure, "Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.TemporaryRedirect, plain.StatusCode);
        Assert.Equal($"https://{HostName}:{gateway.HttpsAddress!.Port}/sse/health", plain.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Sends_no_hsts_unless_configured()
    {
        await using var gateway = await GatewayHost.StartAsync([fixture.Api], httpsCertificate: _certificate);

        using var secure = await GetAsync(gateway.HttpsAddress!, "/");
        using var plain = await GetAsync(gateway.BaseAddress, "/sse/health");

        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Equal("", Header(secure, "Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
    }

    /// <summary>A request for a real host name (HSTS is never sent to localhost), trusting the throwaway certificate.</summary>
    private static async Task<HttpResponseMessage> GetAsync(Uri address, string path)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, path));
        request.Headers.Host = $"{HostName}:{address.Port}";
        return await client.SendAsync(request);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}
