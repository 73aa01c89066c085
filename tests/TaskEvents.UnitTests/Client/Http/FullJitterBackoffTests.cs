using TaskEvents.Client.Http;

namespace TaskEvents.UnitTests.Client.Http;

public sealed class FullJitterBackoffTests
{
    [Fact]
    public void Bound_grows_by_the_factor_after_each_failure()
    {
        var backoff = new FullJitterBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1), 2.0, new PinnedRandom(0.5));

        var delays = Enumerable.Range(0, 4).Select(_ => backoff.NextDelay().TotalMilliseconds).ToArray();

        Assert.Equal([50, 100, 200, 400], delays);
    }

    [Fact]
    public void Bound_never_passes_the_maximum()
    {
        var backoff = new FullJitterBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), 10.0, new PinnedRandom(0.999));

        var delays = Enumerable.Range(0, 6).Select(_ => backoff.NextDelay()).ToArray();

        Assert.All(delays, delay => Assert.True(delay < TimeSpan.FromSeconds(3), $"{delay} is not below the 3 s maximum"));
        Assert.True(delays[^1] > TimeSpan.FromSeconds(2.9), $"{delays[^1]} should be near the maximum after 6 failures");
    }

    [Fact]
    public void Reset_starts_again_from_the_initial_delay()
    {
        var backoff = new FullJitterBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1), 2.0, new PinnedRandom(0.5));
        backoff.NextDelay();
        backoff.NextDelay();
        backoff.NextDelay();

        backoff.Reset();

        Assert.Equal(TimeSpan.FromMilliseconds(50), backoff.NextDelay());
    }

    [Fact]
    public void Delay_can_be_zero_so_clients_spread_over_the_whole_window()
    {
        var backoff = new FullJitterBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 2.0, new PinnedRandom(0));

        Assert.Equal(TimeSpan.Zero, backoff.NextDelay());
    }

    [Fact]
    public void Shared_random_delays_stay_below_the_bound()
    {
        var backoff = new FullJitterBackoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), 1.0);

        Assert.All(Enumerable.Range(0, 1000).Select(_ => backoff.NextDelay()), d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromMilliseconds(10) - TimeSpan.FromTicks(1)));
    }
}
