using System.ComponentModel.DataAnnotations;
using TaskEvents.Api.Streaming;

namespace TaskEvents.UnitTests.Api.Streaming;

public sealed class SseOptionsTests
{
    [Fact]
    public void Durations_configured_in_seconds_read_as_time_spans()
    {
        var options = new SseOptions { FlushInterval = 0.25, KeepaliveInterval = 15, PollInterval = 0.1, MaxPollInterval = 2, ClientRetryInterval = 1.5 };

        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Flush);
        Assert.Equal(TimeSpan.FromSeconds(15), options.Keepalive);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.Poll);
        Assert.Equal(TimeSpan.FromSeconds(2), options.MaxPoll);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.ClientRetry);
    }

    [Theory]
    [InlineData(SseOptions.MinBatchSize, SseOptions.MinFlushInterval, true)]
    [InlineData(SseOptions.MaxBatchSize, SseOptions.MaxFlushInterval, true)]
    [InlineData(SseOptions.MinBatchSize - 1, SseOptions.MinFlushInterval, false)]
    [InlineData(SseOptions.MaxBatchSize + 1, SseOptions.MaxFlushInterval, false)]
    [InlineData(SseOptions.MaxBatchSize, SseOptions.MaxFlushInterval + 0.01, false)]
    [InlineData(SseOptions.MinBatchSize, SseOptions.MinFlushInterval - 0.01, false)]
    public void Default_batching_obeys_the_ranges_a_stream_may_ask_for(int batchSize, double flushInterval, bool valid)
    {
        var options = new SseOptions { BatchSize = batchSize, FlushInterval = flushInterval };

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
    }
}
