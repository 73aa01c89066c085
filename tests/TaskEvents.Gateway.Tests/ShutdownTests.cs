using System.Diagnostics;

namespace TaskEvents.Gateway.Tests;

/// <summary>Stopping the gateway while streams run through it.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_gateway_closes_its_streams_at_once_instead_of_waiting_for_the_shutdown_timeout()
    {
        await using var api = await ApiHost.StartAsync();
        var gateway = await GatewayHost.StartAsync(api);
        using var client = gateway.CreateHttpClient();
        await client.CreateTaskAsync("running");
        await client.AppendAsync("running", "step.a");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stream = await SseWireReader.OpenAsync(client, "/sse/tasks/running/events?batch_size=1", cancellationToken: timeout.Token);
        await stream.ReadEventsAsync(1, timeout.Token);

        var stopping = Stopwatch.StartNew();
        var stopped = gateway.DisposeAsync().AsTask();
        var closed = await ReadUntilClosedAsync(stream, timeout.Token);
        await stopped;

        Assert.True(closed, "the stream was not closed");
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopping.Elapsed}");
    }

    /// <summary>True when the stream ended, cleanly or not; keepalives may arrive before.</summary>
    private static async Task<bool> ReadUntilClosedAsync(SseWireReader stream, CancellationToken cancellationToken)
    {
        try
        {
            while (await stream.ReadFrameAsync(cancellationToken) is not null)
            {
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return true;
        }
    }
}
