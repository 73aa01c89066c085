using TaskEvents.LoadTests.Channels;
using TaskEvents.LoadTests.Cli;

namespace TaskEvents.LoadTests.Targets;

/// <summary>
/// A gateway someone else started (<c>--target http://host:port</c>). The Api's server-side settings are whatever it runs
/// with; only the per-stream ones (batch_size, flush_interval) follow the preset. Tokens are signed with <c>--signing-key</c>.
/// </summary>
internal sealed class RunningGateway(Uri address, SsePreset preset, TimeSpan keepaliveInterval, TokenMinter tokens) : SystemUnderTest
{
    public override string Description =>
        $"running gateway at {address} (server settings as configured there; per stream batch_size={preset.BatchSize}, flush_interval={preset.FlushInterval} s)";

    public override Uri Address => address;

    public override TokenMinter? Tokens => tokens;

    public override IEventChannel CreateChannel() => new TaskEventsChannel(address, [address], preset, keepaliveInterval, tokens);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
