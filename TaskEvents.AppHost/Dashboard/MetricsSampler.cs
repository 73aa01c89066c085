using Microsoft.Extensions.Hosting;
using TaskEvents.AppHost.Orchestration;

namespace TaskEvents.AppHost.Dashboard;

/// <summary>
/// Scrapes every running project replica's /metrics each second (only the Api has the event-channel series)
/// and keeps the last five minutes of rates and latency quantiles for the charts.
/// </summary>
internal sealed class MetricsSampler(ResourceOrchestrator orchestrator) : BackgroundService
{
    private const int Kept = 300;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    // Quantiles over a few seconds: one second of a light load holds too few deliveries to say much.
    private const int LatencyWindow = 5;

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Queue<ApiScrape> _scrapes = new();
    private readonly Queue<MetricsSample> _samples = new();

    public IReadOnlyList<MetricsSample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            var texts = await Task.WhenAll(orchestrator.Instances
                .Where(i => i.Kind == "Project" && i.IsReady && i.Endpoint is not null)
                .Select(i => ScrapeAsync(new Uri(i.Endpoint!, "/metrics"), stoppingToken)));
            var scrape = ApiScrape.Sum(DateTimeOffset.UtcNow, texts);
            lock (_samples)
            {
                _scrapes.Enqueue(scrape);
                if (_scrapes.Count > LatencyWindow + 1)
                {
                    _scrapes.Dequeue();
                }

                if (_scrapes.Count > 1)
                {
                    var rates = scrape.Since(_scrapes.ElementAt(_scrapes.Count - 2));
                    var latency = scrape.Since(_scrapes.Peek());
                    _samples.Enqueue(rates with { LatencyP50Ms = latency.LatencyP50Ms, LatencyP99Ms = latency.LatencyP99Ms });
                    if (_samples.Count > Kept)
                    {
                        _samples.Dequeue();
                    }
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private async Task<string> ScrapeAsync(Uri metrics, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.GetStringAsync(metrics, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // A replica restarting; the others still count.
            return "";
        }
    }
}
