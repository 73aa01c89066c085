using TaskEvents.Api.Streaming;

namespace TaskEvents.UnitTests.Api.Streaming;

/// <summary>The cutoff's pure rules: which reason a stream ends with, and tokens beyond what a timer can wait for.</summary>
public sealed class StreamCutoffTests
{
    [Fact]
    public void A_token_already_past_its_expiry_cuts_off_at_once_as_token_expired()
    {
        using var cutoff = new StreamCutoff(CancellationToken.None, DateTimeOffset.UtcNow.AddSeconds(-1), TimeProvider.System);

        Assert.True(cutoff.Token.IsCancellationRequested);
        Assert.Equal("token_expired", cutoff.Reason);
    }

    [Fact]
    public void A_stopping_process_is_reported_as_server_shutdown_even_when_the_token_expired_too()
    {
        using var stopping = new CancellationTokenSource();
        stopping.Cancel();

        using var cutoff = new StreamCutoff(stopping.Token, DateTimeOffset.UtcNow.AddSeconds(-1), TimeProvider.System);

        Assert.True(cutoff.Token.IsCancellationRequested);
        Assert.Equal("server_shutdown", cutoff.Reason);
    }

    [Fact]
    public void A_token_valid_for_centuries_does_not_break_the_timer_and_does_not_cut_off()
    {
        using var cutoff = new StreamCutoff(CancellationToken.None, new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeProvider.System);

        Assert.False(cutoff.Token.IsCancellationRequested);
    }
}
