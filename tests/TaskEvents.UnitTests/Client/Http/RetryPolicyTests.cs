using System.Net;
using System.Net.Http.Headers;
using TaskEvents.Client.Http;

namespace TaskEvents.UnitTests.Client.Http;

public sealed class RetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void First_401_asks_for_a_fresh_token_when_a_provider_can_give_one()
    {
        using var refused = Answer(HttpStatusCode.Unauthorized);

        Assert.Equal(RetryAction.RefreshToken, Policy(canRefreshToken: true).Decide(refused, tokenRefreshed: false).Action);
    }

    [Fact]
    public void A_401_with_a_freshly_refreshed_token_is_final()
    {
        using var refused = Answer(HttpStatusCode.Unauthorized);

        Assert.Equal(RetryAction.Fail, Policy(canRefreshToken: true).Decide(refused, tokenRefreshed: true).Action);
    }

    [Fact]
    public void A_401_without_a_token_provider_is_final()
    {
        using var refused = Answer(HttpStatusCode.Unauthorized);

        Assert.Equal(RetryAction.Fail, Policy(canRefreshToken: false).Decide(refused, tokenRefreshed: false).Action);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public void Transient_failures_are_tried_again(HttpStatusCode status)
    {
        using var refused = Answer(status);

        Assert.Equal(RetryAction.RetryLater, Policy().Decide(refused, tokenRefreshed: false).Action);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.RequestEntityTooLarge)]
    public void Other_refusals_are_final(HttpStatusCode status)
    {
        using var refused = Answer(status);

        Assert.Equal(RetryAction.Fail, Policy().Decide(refused, tokenRefreshed: false).Action);
    }

    [Fact]
    public void Retry_after_in_seconds_is_passed_on()
    {
        using var refused = Answer(HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), Policy().Decide(refused, tokenRefreshed: false).RetryAfter);
    }

    [Fact]
    public void Retry_after_as_a_date_is_the_time_left_until_it()
    {
        using var refused = Answer(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(30), Policy().Decide(refused, tokenRefreshed: false).RetryAfter);
    }

    [Fact]
    public void Retry_after_date_in_the_past_means_no_wait()
    {
        using var refused = Answer(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(-30));

        Assert.Equal(TimeSpan.Zero, Policy().Decide(refused, tokenRefreshed: false).RetryAfter);
    }

    [Fact]
    public void Delay_is_never_shorter_than_the_servers_retry_after()
    {
        var policy = Policy(jitter: 0.999);

        Assert.Equal(TimeSpan.FromSeconds(20), policy.NextDelay(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void Delay_is_the_backoffs_when_it_is_longer_than_retry_after()
    {
        var policy = Policy(jitter: 0.5);

        Assert.Equal(TimeSpan.FromMilliseconds(500), policy.NextDelay(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public void Reset_brings_the_delay_back_to_the_first_ones()
    {
        var policy = Policy(jitter: 0.5);
        policy.NextDelay(null);
        policy.NextDelay(null);

        policy.Reset();

        Assert.Equal(TimeSpan.FromMilliseconds(500), policy.NextDelay(null));
    }

    private static RetryPolicy Policy(bool canRefreshToken = true, double jitter = 0.5) => new(
        new FullJitterBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 2.0, new PinnedRandom(jitter)),
        canRefreshToken,
        new FixedTime(Now));

    private static HttpResponseMessage Answer(HttpStatusCode status) => new(status);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
