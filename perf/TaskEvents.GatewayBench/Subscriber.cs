using System.Diagnostics;
using System.Text.Json;
using TaskEvents.Testing;

namespace TaskEvents.GatewayBench;

/// <summary>One SSE subscriber: records, per event, the time from the producer's send to this read.</summary>
internal sealed class Subscriber(HttpClient client, string taskId, int warmupEvents)
{
    public List<double> LatenciesMs { get; } = [];

    public async Task RunAsync(TaskCompletionSource connected, CancellationToken cancellationToken)
    {
        using var stream = await SseWireReader.OpenAsync(client, $"/sse/tasks/{taskId}/events?batch_size=1", cancellationToken: cancellationToken);
        stream.Response.EnsureSuccessStatusCode();
        connected.TrySetResult();
        while (await stream.ReadFrameAsync(cancellationToken) is { } frame)
        {
            var received = Stopwatch.GetTimestamp();
            if (frame.Id is null)
            {
                if (frame.IsEnd)
                {
                    return;
                }

                continue;
            }

            var data = JsonElement.Parse(frame.Data!);
            if (data.GetProperty("seq").GetInt64() > warmupEvents && data.GetProperty("payload").TryGetProperty("sent", out var sent))
            {
                LatenciesMs.Add(Stopwatch.GetElapsedTime(sent.GetInt64(), received).TotalMilliseconds);
            }
        }
    }
}
