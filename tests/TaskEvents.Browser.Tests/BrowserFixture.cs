using Microsoft.Playwright;

namespace TaskEvents.Browser.Tests;

/// <summary>
/// One Api on a fresh database behind one gateway (dev tokens on), and one headless Debian Chromium driven by
/// Playwright; each test gets its own browser context. Chromium is never downloaded: the Debian binary is used.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The Api's keepalive interval, shorter than the default 30 s so the heartbeat watchdog can be shown working.</summary>
    public const double KeepaliveSeconds = 0.5;

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private IPlaywright _playwright = null!;

    public ApiHost Api { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium package (apt-get install -y chromium).");
        }

        Api = await ApiHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Sse:KeepaliveInterval"] = KeepaliveSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Gateway = await GatewayHost.StartAsync([Api], new Dictionary<string, string?> { ["DevTokens:Enabled"] = "true" });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        if (Api is not null)
        {
            await Api.DisposeAsync();
        }
    }

    /// <summary>A REST client through the gateway, acting for tenant <c>default</c> with both scopes.</summary>
    public HttpClient CreateClient() => Gateway.CreateHttpClient();

    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Gateway.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1440, Height = 1000 } });
}
