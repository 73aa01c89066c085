using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using TaskEvents.AppHost.Hosting;
using TaskEvents.AppHost.Orchestration;
using TaskEvents.AppHost.Testing;

namespace TaskEvents.SecurityTests.Attacks;

/// <summary>
/// The AppHost's dashboard can stop and start services and shows their environment: without the run's login token it
/// answers nothing but the login page, and it listens on loopback only, so nobody else on the network can even try.
/// </summary>
public sealed class DashboardAttackTests(ITestOutputHelper output) : IDisposable
{
    private const string Test = nameof(DashboardAttackTests);

    [Fact]
    public async Task The_dashboard_refuses_everyone_without_its_token_and_listens_on_loopback_only()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync([], options => options.DisableDashboard = false);
        builder.WithResourceLogs(line =>
        {
            try
            {
                output.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // The test has finished; lines written while stopping have nowhere to go.
            }
        });
        await using var app = await builder.BuildAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            await app.StartAsync(timeout.Token);
            await app.WaitForHealthyAsync("api", timeout.Token);
        }

        var login = app.DashboardLoginUrl!;
        var token = System.Web.HttpUtility.ParseQueryString(login.Query)["t"]!;
        var root = new Uri(login, "/");
        using var stranger = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = root };

        var refusals = new (string Attack, HttpMethod Method, string Path, string? Cookie, string? Authorization, HttpStatusCode Expected)[]
        {
            ("resources page, no cookie", HttpMethod.Get, "/", null, null, HttpStatusCode.Redirect),
            ("resource list API, no cookie", HttpMethod.Get, "/api/resources", null, null, HttpStatusCode.Unauthorized),
            ("resource details (environment) API, no cookie", HttpMethod.Get, "/api/resources/api-0", null, null, HttpStatusCode.Unauthorized),
            ("console logs API, no cookie", HttpMethod.Get, "/api/resources/api-0/logs", null, null, HttpStatusCode.Unauthorized),
            ("live resource stream, no cookie", HttpMethod.Get, "/api/resources/stream", null, null, HttpStatusCode.Unauthorized),
            ("metrics API, no cookie", HttpMethod.Get, "/api/metrics", null, null, HttpStatusCode.Unauthorized),
            ("stop a replica, no cookie", HttpMethod.Post, "/api/resources/api-0/stop", null, null, HttpStatusCode.Unauthorized),
            ("login with a wrong token", HttpMethod.Get, "/login?t=0123456789abcdef0123456789abcdef", null, null, HttpStatusCode.Unauthorized),
            ("login with the token's prefix", HttpMethod.Get, $"/login?t={token[..^1]}", null, null, HttpStatusCode.Unauthorized),
            ("login with the token plus a character", HttpMethod.Get, $"/login?t={token}0", null, null, HttpStatusCode.Unauthorized),
            ("login with the token twice", HttpMethod.Get, $"/login?t={token}&t={token}", null, null, HttpStatusCode.Unauthorized),
            ("API with a forged cookie", HttpMethod.Get, "/api/resources", "x", null, HttpStatusCode.Unauthorized),
            ("API with an empty cookie", HttpMethod.Get, "/api/resources", "", null, HttpStatusCode.Unauthorized),
            ("API with the token as ?t= instead of the cookie", HttpMethod.Get, $"/api/resources?t={token}", null, null, HttpStatusCode.Unauthorized),
            ("API with the token as a bearer header", HttpMethod.Post, "/api/resources/api-0/stop", null, $"Bearer {token}", HttpStatusCode.Unauthorized),
            ("path tricks: //api/resources", HttpMethod.Get, "//api/resources", null, null, HttpStatusCode.Unauthorized),
            ("path tricks: /assets/../api/resources", HttpMethod.Get, "/assets/%2e%2e/api/resources", null, null, HttpStatusCode.Unauthorized),
            ("path tricks: /API/resources", HttpMethod.Get, "/API/resources", null, null, HttpStatusCode.Unauthorized),
        };

        foreach (var (attack, method, path, cookie, authorization, expected) in refusals)
        {
            // Absolute, so "//api/..." stays a path and is not read as another host.
            using var request = new HttpRequestMessage(method, root.GetLeftPart(UriPartial.Authority) + path);
            if (cookie is not null)
            {
                request.Headers.Add("Cookie", $"taskevents-dashboard={cookie}");
            }

            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await stranger.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var leaked = body.Contains("ConnectionStrings", StringComparison.Ordinal) || body.Contains("\"pid\"", StringComparison.OrdinalIgnoreCase);
            var location = response.Headers.Location?.OriginalString;
            // Refused means the login page's answer: 401 (the API, a bad login) or a redirect to /login (a page), never data.
            var refused = response.StatusCode == HttpStatusCode.Unauthorized || (response.StatusCode == HttpStatusCode.Redirect && location == "/login");
            AttackTable.Record(Test, new("Dashboard", attack, "dashboard", expected == HttpStatusCode.Redirect ? "302 to /login" : "401 (or 302 to /login), nothing shown",
                $"{(int)response.StatusCode}{(location is null ? "" : $" to {location}")}{(leaked ? " WITH DATA" : "")}", Test));
            Assert.True(refused && (expected != HttpStatusCode.Redirect || response.StatusCode == expected), $"{attack}: {(int)response.StatusCode} {body}");
            Assert.False(leaked, $"{attack}: {body}");
        }

        Assert.Equal(ResourceState.Healthy, app.Orchestrator.Find("api-0")!.State);

        // The printed URL works: it sets an HttpOnly, SameSite=Strict cookie that opens the API.
        using var loginResponse = await stranger.GetAsync(login.PathAndQuery);
        var setCookie = string.Join("; ", loginResponse.Headers.GetValues("Set-Cookie"));
        using var authorized = new HttpRequestMessage(HttpMethod.Get, "/api/resources");
        authorized.Headers.Add("Cookie", $"taskevents-dashboard={token}");
        using var withCookie = await stranger.SendAsync(authorized);
        AttackTable.Record(Test, new("Dashboard", "control: the printed login URL", "dashboard", "302 + HttpOnly SameSite=Strict cookie; API 200",
            $"{(int)loginResponse.StatusCode}; {setCookie.Replace(token, "<token>", StringComparison.Ordinal)}; API {(int)withCookie.StatusCode}", Test));
        Assert.Equal(HttpStatusCode.Redirect, loginResponse.StatusCode);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, withCookie.StatusCode);

        // Loopback only: what the kernel listens on for the dashboard's port, and a try from this machine's other addresses.
        var listening = ListeningSockets.On(login.Port);
        var external = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(a => a.Address))
            .Where(a => !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal)
            .ToList();
        var reachable = new List<string>();
        foreach (var address in external)
        {
            using var tcp = new TcpClient(address.AddressFamily);
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await tcp.ConnectAsync(address, login.Port, timeout.Token);
                reachable.Add(address.ToString());
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                // Refused: as it should be.
            }
        }

        AttackTable.Record(Test, new("Dashboard", "where the dashboard listens", "dashboard", "loopback only; refused on every other address",
            $"listening on {string.Join(", ", listening)}; connect to {(external.Count == 0 ? "no other address (none up)" : string.Join(", ", external))}: " +
            (reachable.Count == 0 ? "refused" : $"ACCEPTED on {string.Join(", ", reachable)}"), Test));
        Assert.NotEmpty(listening);
        Assert.All(listening, address => Assert.True(IPAddress.IsLoopback(address), $"the dashboard listens on {address}"));
        Assert.Empty(reachable);
    }

    public void Dispose() => AttackTable.Flush(Test);
}
