using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using TaskEvents.Gateway.FanOut;

namespace TaskEvents.UnitTests.Gateway;

/// <summary>Which stream requests the gateway may serve from a shared stream; every other one is proxied to the Api.</summary>
public sealed class FanOutRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("/sse/tasks/events")]
    [InlineData("/sse/tasks//events")]
    [InlineData("/sse/tasks/./events")]
    [InlineData("/sse/tasks/a/b/events")]
    [InlineData("/sse/tasks/-leading-dash/events")]
    [InlineData("/sse/tasks/ok/events/more")]
    [InlineData("/sse/health")]
    public void Paths_that_are_not_a_valid_tasks_stream_are_proxied(string path) =>
        Assert.Null(FanOutRequest.TryRead(Context(path), Now));

    [Theory]
    [InlineData("?since_seq=x", null)]
    [InlineData("?since_seq=1&since_seq=2", null)]
    [InlineData("?since_seq=-1", null)]
    [InlineData("?since_seq=7", 7L)]
    [InlineData("", 0L)]
    public void The_resume_point_is_read_as_the_api_reads_it(string query, long? expected) =>
        Assert.Equal(expected, FanOutRequest.TryRead(Context("/sse/tasks/t-1/events" + query), Now)?.LastSeq);

    [Fact]
    public void A_valid_last_event_id_wins_and_a_malformed_one_is_proxied()
    {
        Assert.Equal(9, FanOutRequest.TryRead(Context("/sse/tasks/t-1/events?since_seq=3", lastEventId: "9"), Now)?.LastSeq);
        Assert.Null(FanOutRequest.TryRead(Context("/sse/tasks/t-1/events", lastEventId: "nine"), Now));
    }

    [Fact]
    public void Streams_share_a_key_whatever_their_resume_point_and_token_but_not_across_tenants_or_parameters()
    {
        var a = FanOutRequest.TryRead(Context("/sse/tasks/t-1/events?flush_interval=0.1&batch_size=1&since_seq=4&access_token=x"), Now)!;
        var b = FanOutRequest.TryRead(Context("/sse/tasks/t-1/events?batch_size=1&flush_interval=0.1"), Now)!;
        var otherTenant = FanOutRequest.TryRead(Context("/sse/tasks/t-1/events?batch_size=1&flush_interval=0.1", tenant: "beta"), Now)!;
        var otherBatch = FanOutRequest.TryRead(Context("/sse/tasks/t-1/events?batch_size=2&flush_interval=0.1"), Now)!;

        Assert.Equal(a.Key, b.Key);
        Assert.Equal("?batch_size=1&flush_interval=0.1", a.Key.Query);
        Assert.NotEqual(a.Key, otherTenant.Key);
        Assert.NotEqual(a.Key, otherBatch.Key);
    }

    [Fact]
    public void A_token_in_the_query_never_reaches_the_key_whatever_its_case()
    {
        var request = FanOutRequest.TryRead(Context("/sse/tasks/t-1/events?ACCESS_TOKEN=secret&Since_Seq=2&batch_size=1"), Now)!;

        Assert.Equal("?batch_size=1", request.Key.Query);
    }

    [Fact]
    public void An_expired_token_or_one_without_a_tenant_is_proxied()
    {
        Assert.Null(FanOutRequest.TryRead(Context("/sse/tasks/t-1/events", expires: Now), Now));
        Assert.Null(FanOutRequest.TryRead(Context("/sse/tasks/t-1/events", tenant: null), Now));
    }

    private static DefaultHttpContext Context(string pathAndQuery, string? tenant = "alpha", DateTimeOffset? expires = null, string? lastEventId = null)
    {
        var context = new DefaultHttpContext();
        var split = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = split < 0 ? pathAndQuery : pathAndQuery[..split];
        context.Request.QueryString = split < 0 ? QueryString.Empty : new QueryString(pathAndQuery[split..]);
        context.Request.Headers.Authorization = "Bearer token";
        if (lastEventId is not null)
        {
            context.Request.Headers["Last-Event-ID"] = lastEventId;
        }

        var claims = new List<Claim> { new("exp", (expires ?? Now.AddHours(1)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        if (tenant is not null)
        {
            claims.Add(new Claim("tenant", tenant));
        }

        context.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
        return context;
    }
}
