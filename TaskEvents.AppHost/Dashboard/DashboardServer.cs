using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using TaskEvents.AppHost.Hosting;
using TaskEvents.AppHost.Orchestration;

namespace TaskEvents.AppHost.Dashboard;

/// <summary>The dashboard web app (plain HTML/CSS/JS from the output folder, a JSON and SSE API), on localhost only.</summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, Uri loginUrl)
    {
        _app = app;
        LoginUrl = loginUrl;
    }

    public Uri LoginUrl { get; }

    public static async Task<DashboardServer> StartAsync(ResourceOrchestrator orchestrator, AppHostOptions options, int port, CancellationToken cancellationToken)
    {
        var token = string.IsNullOrEmpty(options.DashboardToken) ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : options.DashboardToken;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error);
        builder.WebHost.UseUrls($"http://localhost:{port}");
        builder.Services.AddSingleton(orchestrator);
        builder.Services.AddSingleton(new DashboardLogin(token));
        builder.Services.AddSingleton<MetricsSampler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MetricsSampler>());

        var app = builder.Build();
        var files = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "dashboard"));
        app.UseMiddleware<DashboardLoginMiddleware>();
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        app.MapDashboardApi();
        await app.StartAsync(cancellationToken);
        return new DashboardServer(app, new Uri($"http://localhost:{port}/login?t={token}"));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
