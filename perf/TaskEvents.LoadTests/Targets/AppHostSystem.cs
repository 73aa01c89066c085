using System.Globalization;
using TaskEvents.AppHost.Hosting;
using TaskEvents.AppHost.Testing;
using TaskEvents.LoadTests.Channels;
using TaskEvents.LoadTests.Cli;
using TaskEvents.LoadTests.Measurement;

namespace TaskEvents.LoadTests.Targets;

/// <summary>
/// The whole system from the AppHost's own app model (its testing builder: free ports, a throwaway database, no dashboard),
/// with the Sse settings under test passed to every Api replica (<c>--Sse:*</c>). The demo emitter is stopped so only the
/// harness loads the system.
/// </summary>
internal sealed class AppHostSystem : SystemUnderTest
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly DistributedApplication _app;
    private readonly SsePreset _preset;
    private readonly TimeSpan _keepaliveInterval;
    private readonly TokenMinter _tokens;

    private AppHostSystem(DistributedApplication app, SsePreset preset, TimeSpan keepaliveInterval, TokenMinter tokens)
    {
        _app = app;
        _preset = preset;
        _keepaliveInterval = keepaliveInterval;
        _tokens = tokens;
    }

    public override string Description =>
        string.Create(CultureInfo.InvariantCulture,
            $"AppHost (2 Api replicas, gateway, PostgreSQL) with {_preset}, KeepaliveInterval {_keepaliveInterval.TotalSeconds} s");

    public override Uri Address => _app.GetEndpoint("gateway");

    public override IReadOnlyList<ObservedProcess> Processes =>
        _app.Orchestrator.Instances
            .Where(i => i.ResourceName is "api" or "gateway" && i.ProcessId is not null)
            .Select(i => new ObservedProcess(i.ResourceName, i.Name, i.ProcessId!.Value))
            .ToList();

    public static async Task<AppHostSystem> StartAsync(SsePreset preset, TimeSpan keepaliveInterval, Action<string> progress, CancellationToken cancellationToken)
    {
        string[] args =
        [
            $"--Sse:BatchSize={preset.BatchSize}",
            string.Create(CultureInfo.InvariantCulture, $"--Sse:FlushInterval={preset.FlushInterval}"),
            string.Create(CultureInfo.InvariantCulture, $"--Sse:PollInterval={preset.PollInterval}"),
            string.Create(CultureInfo.InvariantCulture, $"--Sse:KeepaliveInterval={keepaliveInterval.TotalSeconds}"),
        ];
        progress($"Starting the AppHost with {preset} …");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync(args);
        var app = await builder.BuildAsync();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            await app.StartAsync(timeout.Token);
            await app.WaitForHealthyAsync("gateway", timeout.Token);
            await app.Orchestrator.StopInstanceAsync("emitter");
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var tokens = new TokenMinter(TokenMinter.DevelopmentIssuer, TokenMinter.DefaultAudience, TokenMinter.DevelopmentSigningKey, "loadtest");
        return new AppHostSystem(app, preset, keepaliveInterval, tokens);
    }

    public override TokenMinter? Tokens => _tokens;

    public override IEventChannel CreateChannel() => new TaskEventsChannel(Address, _preset, _keepaliveInterval, _tokens);

    public override async Task RestartApiReplicaAsync(CancellationToken cancellationToken)
    {
        var replica = _app.Orchestrator.InstancesOf("api")[0];
        await _app.Orchestrator.RestartInstanceAsync(replica.Name);
        await replica.WaitUntilAsync(i => i.IsReady, cancellationToken);
    }

    public override async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
