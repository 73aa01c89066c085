using TaskEvents.LoadTests.Channels;
using TaskEvents.LoadTests.Cli;
using TaskEvents.LoadTests.Reporting;

namespace TaskEvents.LoadTests.Targets;

/// <summary>Turns <c>--target</c> into a started system: apphost (or apphost-direct), nchan, or the address of a running gateway.</summary>
internal static class TargetLauncher
{
    public static async Task<SystemUnderTest> StartAsync(RunSettings settings, SsePreset preset, LiveProgress progress, CancellationToken cancellationToken)
    {
        if (settings.Cpus is not { } cpus)
        {
            return await StartTargetAsync(settings, preset, progress, cancellationToken);
        }

        progress.Message($"CPUs: {cpus.Description}");
        cpus.BeforeStarting();
        try
        {
            return await StartTargetAsync(settings, preset, progress, cancellationToken);
        }
        finally
        {
            cpus.AfterStarting();
        }
    }

    private static async Task<SystemUnderTest> StartTargetAsync(RunSettings settings, SsePreset preset, LiveProgress progress, CancellationToken cancellationToken)
    {
        if (settings.TargetsAppHost)
        {
            return await AppHostSystem.StartAsync(
                preset, settings.KeepaliveInterval, settings.DurableDatabase, settings.BypassesGateway, progress.Message, cancellationToken);
        }

        if (settings.TargetsNchan)
        {
            progress.Message("Starting nginx with Nchan on loopback …");
            var workers = settings.Cpus?.System.Count ?? Environment.ProcessorCount;
            return await NchanServer.StartAsync(Math.Max(settings.Workload.Subscribers, settings.Streams) + 1000, workers, cancellationToken);
        }

        if (Uri.TryCreate(settings.Target, UriKind.Absolute, out var address) && address.Scheme is "http" or "https")
        {
            var tokens = new TokenMinter(settings.Issuer, TokenMinter.DefaultAudience, settings.SigningKey, "loadtest");
            return new RunningGateway(address, preset, settings.KeepaliveInterval, tokens);
        }

        throw new UsageException($"--target must be apphost, apphost-direct, nchan or http://host:port, not '{settings.Target}'.");
    }
}
