using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using TaskEvents.LoadTests.Channels;
using TaskEvents.LoadTests.Cli;
using TaskEvents.LoadTests.Measurement;
using TaskEvents.SystemTesting;

namespace TaskEvents.LoadTests.Targets;

/// <summary>
/// The whole system from the AppHost's own app model (Aspire.Hosting.Testing: free ports, a database of its own, no
/// dashboard), durable PostgreSQL unless asked otherwise, with the Sse settings under test passed to every Api replica
/// (<c>--Sse:*</c>). The demo emitter is stopped so only the harness loads the system. With the gateway bypassed, the
/// harness routes as the gateway does: every append to the first replica (the one the gateway picks while all answer),
/// streams alternating over the replicas; the gateway still runs, idle.
/// </summary>
internal sealed class AppHostSystem : SystemUnderTest
{
    private readonly TaskEventsSystem _system;
    private readonly SsePreset _preset;
    private readonly TimeSpan _keepaliveInterval;
    private readonly bool _durable;
    private readonly bool _bypassGateway;
    private readonly TokenMinter _tokens;

    private AppHostSystem(TaskEventsSystem system, SsePreset preset, TimeSpan keepaliveInterval, bool durable, bool bypassGateway, TokenMinter tokens)
    {
        _system = system;
        _preset = preset;
        _keepaliveInterval = keepaliveInterval;
        _durable = durable;
        _bypassGateway = bypassGateway;
        _tokens = tokens;
    }

    public override string Description =>
        string.Create(CultureInfo.InvariantCulture,
            $"AppHost on Aspire ({_system.ApiReplicas.Count} Api replicas, gateway{(_bypassGateway ? " BYPASSED: the harness talks to the Api replicas" : "")}, {(_durable ? "durable" : "NON-DURABLE (fsync off)")} PostgreSQL) with {_preset}, KeepaliveInterval {_keepaliveInterval.TotalSeconds} s");

    public override Uri Address => _bypassGateway ? _system.ApiEndpoint(_system.ApiReplicas[0]) : _system.Gateway;

    public override IReadOnlyList<ObservedProcess> Processes =>
        [.. _system.ApiReplicas.Select(replica => new ObservedProcess("api", replica, _system.ServiceProcessId(replica))),
         new ObservedProcess("gateway", "gateway", _system.ServiceProcessId("gateway"))];

    public static async Task<AppHostSystem> StartAsync(
        SsePreset preset, TimeSpan keepaliveInterval, bool durable, bool bypassGateway, Action<string> progress, CancellationToken cancellationToken)
    {
        progress($"Starting the AppHost with {preset}{(durable ? "" : ", PostgreSQL NOT durable")} …");
        var system = await TaskEventsSystem.StartAsync(new TaskEventsSystemOptions
        {
            DurableDatabase = durable,
            Emitter = false,
            Arguments =
            [
                $"--Sse:BatchSize={preset.BatchSize}",
                string.Create(CultureInfo.InvariantCulture, $"--Sse:FlushInterval={preset.FlushInterval}"),
                string.Create(CultureInfo.InvariantCulture, $"--Sse:PollInterval={preset.PollInterval}"),
                string.Create(CultureInfo.InvariantCulture, $"--Sse:KeepaliveInterval={keepaliveInterval.TotalSeconds}"),
            ],
        }, cancellationToken);
        var tokens = new TokenMinter(TokenMinter.DevelopmentIssuer, TokenMinter.DefaultAudience, TokenMinter.DevelopmentSigningKey, "loadtest");
        return new AppHostSystem(system, preset, keepaliveInterval, durable, bypassGateway, tokens);
    }

    public override TokenMinter? Tokens => _tokens;

    public override IEventChannel CreateChannel() =>
        new TaskEventsChannel(Address, _bypassGateway ? [.. _system.ApiReplicas.Select(_system.ApiEndpoint)] : [Address], _preset, _keepaliveInterval, _tokens);

    public override async Task RestartApiReplicaAsync(CancellationToken cancellationToken)
    {
        var replica = _system.ApiReplicas[0];
        await _system.ExecuteCommandAsync(replica, KnownResourceCommands.RestartCommand, cancellationToken);
        await _system.App.ResourceNotifications.WaitForResourceHealthyAsync(replica, cancellationToken);
    }

    public override async ValueTask DisposeAsync() => await _system.DisposeAsync();
}
