using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Web;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TaskEvents.SystemTesting;

namespace TaskEvents.SecurityTests.Attacks;

/// <summary>
/// The Aspire dashboard shows every service's environment, logs and telemetry, and stops and starts them: without the
/// run's browser token it shows nothing but the login page; its OTLP endpoint takes telemetry only with the run's key;
/// the AppHost's resource service (the dashboard's source, which runs commands) answers only with its key; and all of
/// them listen on loopback only, so nobody else on the network can even try.
/// </summary>
public sealed class DashboardAttackTests(ITestOutputHelper output) : IDisposable
{
    private const string Test = nameof(DashboardAttackTests);
    private const string Category = "Dashboard";
    private const string TraceExport = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    private const string OtlpKeyHeader = "x-otlp-api-key";
    private const string ResourceServiceKeyHeader = "x-resource-service-api-key";
    private const string TelemetryApiKeyHeader = "x-api-key";

    private static readonly Dictionary<string, string> NoHeaders = [];

    [Fact]
    public async Task The_Aspire_dashboard_refuses_everyone_without_its_token_or_keys_and_listens_on_loopback_only()
    {
        await using var system = await TaskEventsSystem.StartAsync(new TaskEventsSystemOptions { Dashboard = true, Emitter = false, Log = Lines() });
        var login = system.DashboardLoginUrl!;
        var otlp = system.DashboardOtlpEndpoint!;
        var resourceService = system.ResourceServiceEndpoint!;
        var root = new Uri(login, "/");
        var token = HttpUtility.ParseQueryString(login.Query)["t"]!;
        var configuration = system.App.Services.GetRequiredService<IConfiguration>();
        var otlpKey = configuration["AppHost:OtlpApiKey"];
        var resourceServiceKey = configuration["AppHost:ResourceService:ApiKey"];
        var telemetryApiKey = configuration["AppHost:DashboardApiKey"];
        Assert.False(string.IsNullOrEmpty(otlpKey) || string.IsNullOrEmpty(resourceServiceKey) || string.IsNullOrEmpty(telemetryApiKey),
            "the AppHost runs the dashboard with an OTLP key, a resource service key and a telemetry API key");

        await PagesAndApisRefuseStrangers(root);
        await WrongTokensOpenNoSession(root, token);
        await TheLoginUrlOpensTheDashboard(root, login);
        await OtlpRefusesTelemetryWithoutTheKey(root, otlp, otlpKey!, telemetryApiKey!);
        await ResourceServiceRefusesCallsWithoutTheKey(system, resourceService, resourceServiceKey!);
        await EverySocketIsLoopbackOnly(system, [(login.Port, "UI, DCP's proxy"), (otlp.Port, "OTLP, DCP's proxy"), (resourceService.Port, "resource service")]);
    }

    /// <summary>No cookie: every page redirects to /login, every API answers 401, nothing of the resources is in any body.</summary>
    private static async Task PagesAndApisRefuseStrangers(Uri root)
    {
        (string Attack, HttpMethod Method, string Path, Dictionary<string, string> Headers)[] attempts =
        [
            ("resources page", HttpMethod.Get, "/", NoHeaders),
            ("a resource's details (its environment)", HttpMethod.Get, "/?resource=api-0", NoHeaders),
            ("console logs of api-0", HttpMethod.Get, "/consolelogs/resource/api-0", NoHeaders),
            ("structured logs", HttpMethod.Get, "/structuredlogs", NoHeaders),
            ("traces", HttpMethod.Get, "/traces", NoHeaders),
            ("metrics of api-0", HttpMethod.Get, "/metrics/resource/api-0", NoHeaders),
            ("telemetry API: resources, no key", HttpMethod.Get, "/api/telemetry/resources", NoHeaders),
            ("telemetry API: logs, no key", HttpMethod.Get, "/api/telemetry/logs", NoHeaders),
            ("telemetry API: spans, wrong key", HttpMethod.Get, "/api/telemetry/spans", new() { [TelemetryApiKeyHeader] = "0123456789abcdef" }),
            ("MCP endpoint, no key", HttpMethod.Post, "/mcp", NoHeaders),
            ("path tricks: //consolelogs/resource/api-0", HttpMethod.Get, "//consolelogs/resource/api-0", NoHeaders),
            ("path tricks: /login/../consolelogs", HttpMethod.Get, "/login/%2e%2e/consolelogs/resource/api-0", NoHeaders),
        ];

        using var stranger = Stranger();
        foreach (var (attack, method, path, headers) in attempts)
        {
            // Absolute, so "//consolelogs/..." stays a path and is not read as another host.
            using var request = new HttpRequestMessage(method, root.GetLeftPart(UriPartial.Authority) + path);
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await stranger.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var leaked = Leaks(body);
            var location = response.Headers.Location;
            var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || RedirectsToLogin(response);
            AttackTable.Record(Test, new(Category, $"{method} {path} without the browser token", "dashboard UI", "302 to /login (pages) or 401, nothing shown",
                $"{(int)response.StatusCode}{(location is null ? "" : $" to {location.OriginalString}")}{(leaked ? " WITH DATA" : "")}", Test));
            Assert.True(refused, $"{attack}: {(int)response.StatusCode} {location} {body}");
            Assert.False(leaked, $"{attack}: {body}");
        }

        // Blazor's SignalR hub negotiates with anyone (as in every Blazor Server app), but hands out only a connection id:
        // a circuit starts from the component markers of a rendered page, and pages render only after the login.
        using var negotiate = await stranger.PostAsync(new Uri(root, "/_blazor/negotiate?negotiateVersion=1"), null);
        var negotiated = await negotiate.Content.ReadAsStringAsync();
        AttackTable.Record(Test, new(Category, "POST /_blazor/negotiate without the browser token", "dashboard UI",
            "nothing of the run (a SignalR connection id at most)", $"{(int)negotiate.StatusCode}{(Leaks(negotiated) ? " WITH DATA" : ", no data")}", Test));
        Assert.False(Leaks(negotiated), negotiated);
    }

    /// <summary>A token that is not exactly the run's logs nobody in: /login sends back to itself and / still asks for a login.</summary>
    private static async Task WrongTokensOpenNoSession(Uri root, string token)
    {
        (string Attack, HttpMethod Method, string PathAndQuery)[] attempts =
        [
            ("a wrong token", HttpMethod.Get, "/login?t=0123456789abcdef0123456789abcdef"),
            ("the token's prefix", HttpMethod.Get, $"/login?t={token[..^1]}"),
            ("the token plus a character", HttpMethod.Get, $"/login?t={token}0"),
            ("the token in upper case", HttpMethod.Get, $"/login?t={token.ToUpperInvariant()}"),
            ("the token twice (t=…&t=…)", HttpMethod.Get, $"/login?t={token}&t={token}"),
            ("an empty token", HttpMethod.Get, "/login?t="),
            ("the token's prefix to /api/validatetoken", HttpMethod.Post, $"/api/validatetoken?token={token[..^1]}"),
        ];

        foreach (var (attack, method, pathAndQuery) in attempts)
        {
            var cookies = new CookieContainer();
            using var stranger = Stranger(cookies);
            using var attempt = await stranger.SendAsync(new HttpRequestMessage(method, new Uri(root, pathAndQuery)));
            var attemptLocation = attempt.Headers.Location?.OriginalString ?? "no redirect";
            // Whatever cookies the attempt left are sent with the next request, as a browser would.
            using var after = await stranger.GetAsync(root);
            var body = await after.Content.ReadAsStringAsync();
            AttackTable.Record(Test, new(Category, $"log in with {attack}", "dashboard UI", "no session: / still redirects to /login",
                $"{(int)attempt.StatusCode} to {attemptLocation.Replace(token, "<token>", StringComparison.OrdinalIgnoreCase)}; then / {(int)after.StatusCode}" +
                $"{(after.Headers.Location is { } location ? $" to {location.OriginalString}" : "")}{(Leaks(body) ? " WITH DATA" : "")}", Test));
            Assert.True(RedirectsToLogin(after), $"{attack}: / answered {(int)after.StatusCode} after it");
            Assert.False(Leaks(body), $"{attack}: {body}");
        }
    }

    /// <summary>The control: the real login URL sets an HttpOnly cookie that opens the resources page.</summary>
    private static async Task TheLoginUrlOpensTheDashboard(Uri root, Uri login)
    {
        var cookies = new CookieContainer();
        using var browser = Stranger(cookies);
        using var loginResponse = await browser.GetAsync(login);
        var setCookie = loginResponse.Headers.TryGetValues("Set-Cookie", out var values) ? string.Join("; ", values) : "";
        using var page = await browser.GetAsync(root);
        AttackTable.Record(Test, new(Category, "control: the login URL the AppHost prints", "dashboard UI", "302 to / with an HttpOnly cookie; / then 200 (not the redirect to /login)",
            $"{(int)loginResponse.StatusCode} to {loginResponse.Headers.Location?.OriginalString}; cookie {(setCookie.Contains("httponly", StringComparison.OrdinalIgnoreCase) ? "HttpOnly" : "NOT HttpOnly")}; / {(int)page.StatusCode}", Test));
        Assert.Equal(HttpStatusCode.Redirect, loginResponse.StatusCode);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    /// <summary>
    /// The OTLP endpoint speaks OTLP/gRPC (HTTP/2 without TLS): a span exported without the run's key, or with another, is
    /// refused and never appears in the dashboard's telemetry; the same export with the key (the control) does.
    /// </summary>
    private static async Task OtlpRefusesTelemetryWithoutTheKey(Uri root, Uri otlp, string otlpKey, string telemetryApiKey)
    {
        var intruder = $"intruder-{Guid.NewGuid():N}";
        (string Attack, Dictionary<string, string> Headers)[] attempts =
        [
            ("no key", NoHeaders),
            ("a wrong key", new() { [OtlpKeyHeader] = "0123456789abcdef0123456789abcdef" }),
            ("the key's prefix", new() { [OtlpKeyHeader] = otlpKey[..^1] }),
            ("the key as a bearer token", new() { ["authorization"] = $"Bearer {otlpKey}" }),
        ];
        foreach (var (attack, headers) in attempts)
        {
            var call = await GrpcCall.SendAsync(otlp, TraceExport, Span(intruder).ToGrpcFrame(), headers);
            AttackTable.Record(Test, new(Category, $"OTLP/gRPC trace export with {attack}", "dashboard OTLP", "401, not stored", call.ToString(), Test));
            Assert.False(call.Accepted, $"{attack}: {call}");
            Assert.Equal(HttpStatusCode.Unauthorized, call.Status);
        }

        // OTLP/HTTP (protobuf over HTTP/1.1) is not served on this port at all.
        using var http1 = new HttpClient();
        string observed;
        try
        {
            using var response = await http1.PostAsync(new Uri(otlp, "/v1/traces"), new ByteArrayContent(Span(intruder).ToArray())
            {
                Headers = { ContentType = new("application/x-protobuf") },
            });
            observed = $"{(int)response.StatusCode}";
            Assert.False(response.IsSuccessStatusCode, $"OTLP/HTTP without a key: {(int)response.StatusCode}");
        }
        catch (HttpRequestException ex)
        {
            observed = $"connection closed ({ex.HttpRequestError})";
        }

        AttackTable.Record(Test, new(Category, "OTLP/HTTP (HTTP/1.1) trace export, no key", "dashboard OTLP", "refused", observed, Test));

        // The control: the run's key is accepted and its span shows in the dashboard; the intruder's never does.
        var insider = $"control-{Guid.NewGuid():N}";
        var accepted = await GrpcCall.SendAsync(otlp, TraceExport, Span(insider).ToGrpcFrame(), new Dictionary<string, string> { [OtlpKeyHeader] = otlpKey });
        using var telemetry = new HttpClient { BaseAddress = root };
        telemetry.DefaultRequestHeaders.Add(TelemetryApiKeyHeader, telemetryApiKey);
        var resources = "";
        await Poll.UntilAsync(async () => (resources = await telemetry.GetStringAsync("/api/telemetry/resources")).Contains(insider, StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the control span's service shows in the dashboard's telemetry");
        AttackTable.Record(Test, new(Category, "control: the same export with the run's key", "dashboard OTLP", "accepted and shown; the refused ones not shown",
            $"{accepted}; shown: {resources.Contains(insider, StringComparison.Ordinal)}; refused ones shown: {resources.Contains(intruder, StringComparison.Ordinal)}", Test));
        Assert.True(accepted.Accepted, accepted.ToString());
        Assert.DoesNotContain(intruder, resources, StringComparison.Ordinal);
    }

    /// <summary>
    /// The AppHost's resource service streams every resource's environment and logs and runs commands: without its key it
    /// answers nothing, and a stop command sent without it leaves the replica running.
    /// </summary>
    private static async Task ResourceServiceRefusesCallsWithoutTheKey(TaskEventsSystem system, Uri resourceService, string key)
    {
        const string Information = "/aspire.v1.DashboardService/GetApplicationInformation";
        const string Command = "/aspire.v1.DashboardService/ExecuteResourceCommand";
        var empty = new ProtobufWriter().ToGrpcFrame();
        var stop = new ProtobufWriter().String(1, KnownResourceCommands.StopCommand).String(2, "api-0").ToGrpcFrame();
        (string Attack, string Method, byte[] Frame, Dictionary<string, string> Headers)[] attempts =
        [
            ("application information, no key", Information, empty, NoHeaders),
            ("application information, wrong key", Information, empty, new() { [ResourceServiceKeyHeader] = "0123456789abcdef" }),
            ("stop api-0, no key", Command, stop, NoHeaders),
            ("stop api-0, the browser token as key", Command, stop, new() { [ResourceServiceKeyHeader] = HttpUtility.ParseQueryString(system.DashboardLoginUrl!.Query)["t"]! }),
        ];
        foreach (var (attack, method, frame, headers) in attempts)
        {
            var call = await GrpcCall.SendAsync(resourceService, method, frame, headers);
            AttackTable.Record(Test, new(Category, attack, "resource service", "401", call.ToString(), Test));
            Assert.False(call.Accepted, $"{attack}: {call}");
            Assert.Equal(HttpStatusCode.Unauthorized, call.Status);
        }

        var stillRunning = system.App.ResourceNotifications.TryGetCurrentState("api-0", out var api0) && api0.Snapshot.State?.Text == KnownResourceStates.Running;
        var control = await GrpcCall.SendAsync(resourceService, Information, empty, new Dictionary<string, string> { [ResourceServiceKeyHeader] = key });
        AttackTable.Record(Test, new(Category, "control: application information with the run's key; api-0 after the refused stops", "resource service",
            "accepted; api-0 still Running", $"{control}; api-0 {(stillRunning ? "Running" : "NOT RUNNING")}", Test));
        Assert.True(control.Accepted, control.ToString());
        Assert.True(stillRunning, "api-0 stopped after a refused stop command");
    }

    /// <summary>
    /// Loopback only: what the kernel listens on for each of the dashboard's ports (DCP's proxies for the UI and OTLP, the
    /// dashboard process's own, the AppHost's resource service), and a connection to each from this machine's other addresses.
    /// </summary>
    private static async Task EverySocketIsLoopbackOnly(TaskEventsSystem system, (int Port, string Role)[] knownPorts)
    {
        var dashboardProcess = ListeningSockets.OfProcess(system.ServiceProcessId("aspire-dashboard"));
        Assert.NotEmpty(dashboardProcess);
        var ports = knownPorts.Concat(dashboardProcess.Select(e => (e.Port, Role: "the dashboard process's own")))
            .DistinctBy(p => p.Port).ToList();
        var external = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(a => a.Address))
            .Where(a => !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal)
            .ToList();

        foreach (var (port, role) in ports)
        {
            var listening = ListeningSockets.On(port);
            var reachable = new List<string>();
            foreach (var address in external)
            {
                using var tcp = new TcpClient(address.AddressFamily);
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await tcp.ConnectAsync(address, port, timeout.Token);
                    reachable.Add(address.ToString());
                }
                catch (Exception ex) when (ex is SocketException or OperationCanceledException)
                {
                    // Refused: as it should be.
                }
            }

            AttackTable.Record(Test, new(Category, $"where port {port} ({role}) listens", "dashboard", "loopback only; refused on every other address",
                $"listening on {string.Join(", ", listening)}; connect to {(external.Count == 0 ? "no other address (none up)" : string.Join(", ", external))}: " +
                (reachable.Count == 0 ? "refused" : $"ACCEPTED on {string.Join(", ", reachable)}"), Test));
            Assert.NotEmpty(listening);
            Assert.All(listening, address => Assert.True(IPAddress.IsLoopback(address), $"port {port} listens on {address}"));
            Assert.Empty(reachable);
        }
    }

    /// <summary>One server span of a service named <paramref name="service"/>, as an OTLP ExportTraceServiceRequest.</summary>
    private static ProtobufWriter Span(string service)
    {
        var now = (ulong)(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000);
        var span = new ProtobufWriter()
            .Bytes(1, Guid.NewGuid().ToByteArray())
            .Bytes(2, Guid.NewGuid().ToByteArray()[..8])
            .String(5, "GET /attack")
            .Enum(6, 2)
            .Fixed64(7, now)
            .Fixed64(8, now + 1_000_000);
        var resource = new ProtobufWriter().Message(1, new ProtobufWriter().String(1, "service.name").Message(2, new ProtobufWriter().String(1, service)));
        var resourceSpans = new ProtobufWriter()
            .Message(1, resource)
            .Message(2, new ProtobufWriter().Message(1, new ProtobufWriter().String(1, "attack")).Message(2, span));
        return new ProtobufWriter().Message(1, resourceSpans);
    }

    private static HttpClient Stranger(CookieContainer? cookies = null) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = cookies is not null, CookieContainer = cookies ?? new() });

    private static bool RedirectsToLogin(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect
        && response.Headers.Location is { } location
        && (location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0]) == "/login";

    /// <summary>Anything of the run in a body: a resource's name, its environment, the database's connection string.</summary>
    private static bool Leaks(string body) =>
        body.Contains("api-0", StringComparison.Ordinal) || body.Contains("ConnectionStrings", StringComparison.Ordinal) || body.Contains("Password=", StringComparison.Ordinal);

    private Action<string> Lines() => line =>
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished; lines written while stopping have nowhere to go.
        }
    };

    public void Dispose() => AttackTable.Flush(Test);
}
