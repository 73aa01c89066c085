using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TaskEvents.Gateway.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace TaskEvents.UnitTests.Gateway.LoadBalancing;

/// <summary>
/// Where the gateway sends a request among the Api replicas: every append to one replica (one writer for the tier),
/// passed over while it is stalled; everything else to the replica with the fewest requests in flight.
/// </summary>
public sealed class AppendsToOneReplicaPolicyTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PassOver = TimeSpan.FromSeconds(10);

    private readonly ManualClock _clock = new();
    private readonly AppendTraffic _traffic = new();
    private readonly AppendsToOneReplicaPolicy _policy;
    private readonly ClusterState _cluster = new("api");
    private readonly DestinationState _first = new("api[http://127.0.0.1:5001]");
    private readonly DestinationState _second = new("api[http://127.0.0.1:5002]");

    public AppendsToOneReplicaPolicyTests() =>
        _policy = new AppendsToOneReplicaPolicy(_traffic, Options.Create(new AppendRoutingOptions { StallSeconds = Stall.TotalSeconds }), _clock);

    [Theory]
    [InlineData("POST", "/api/tasks/t1/events", true)]
    [InlineData("POST", "/api/tasks/t1/events/", true)]
    [InlineData("POST", "/API/Tasks/t1/events", true)]
    [InlineData("GET", "/api/tasks/t1/events", false)]
    [InlineData("POST", "/api/tasks", false)]
    [InlineData("POST", "/api/tasks/events", false)]
    [InlineData("POST", "/api/tasks/t1/events/more", false)]
    [InlineData("POST", "/api/tasks/t1/other", false)]
    [InlineData("GET", "/sse/tasks/t1/events", false)]
    public void Knows_an_append_by_method_and_path(string method, string path, bool isAppend) =>
        Assert.Equal(isAppend, AppendsToOneReplicaPolicy.IsAppend(Request(method, path).Request));

    [Fact]
    public void Every_append_goes_to_the_replica_first_by_id_whatever_the_order_or_load()
    {
        // The first replica holds more requests (its streams) and appends: they still go there, not to the least loaded.
        _first.ConcurrentRequestCount = 10;
        _traffic.Of(_first).Started(Now);

        Assert.Same(_first, PickAppend(_second, _first));
        Assert.Same(_first, PickAppend(_first, _second));
    }

    [Fact]
    public void Other_requests_go_to_the_replica_with_the_fewest_in_flight()
    {
        _first.ConcurrentRequestCount = 3;
        _second.ConcurrentRequestCount = 1;

        Assert.Same(_second, _policy.PickDestination(Request("GET", "/sse/tasks/t1/events"), _cluster, [_first, _second]));
        Assert.Same(_second, _policy.PickDestination(Request("POST", "/api/tasks"), _cluster, [_first, _second]));
    }

    [Fact]
    public void A_replica_that_answers_no_append_within_the_stall_threshold_is_passed_over_until_it_answers()
    {
        var first = _traffic.Of(_first);
        first.Started(Now);
        _clock.Advance(Stall - TimeSpan.FromMilliseconds(1));
        Assert.Same(_first, PickAppend(_first, _second));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Same(_second, PickAppend(_first, _second));

        first.Ended(Now, answered: true);
        Assert.Same(_first, PickAppend(_first, _second));
    }

    [Fact]
    public void An_answer_to_any_append_is_progress()
    {
        var first = _traffic.Of(_first);
        first.Started(Now);
        _clock.Advance(Stall / 2);
        first.Started(Now);
        first.Ended(Now, answered: true);
        _clock.Advance(Stall / 2 + TimeSpan.FromMilliseconds(1));

        // One append has waited longer than the threshold, but the replica answered another meanwhile: slow, not stalled.
        Assert.Same(_first, PickAppend(_first, _second));
    }

    [Fact]
    public void An_append_given_up_on_is_no_answer_and_an_idle_replica_starts_its_clock_with_its_next_append()
    {
        var first = _traffic.Of(_first);
        first.Started(Now);
        _clock.Advance(Stall * 5);
        first.Ended(Now, answered: false);
        Assert.Equal(0, first.InFlight);

        first.Started(Now);
        Assert.False(first.IsStalled(Now, Stall));
        _clock.Advance(Stall);
        Assert.True(first.IsStalled(Now, Stall));
    }

    [Fact]
    public void A_replica_found_stalled_is_passed_over_for_the_period_then_tried_again()
    {
        var first = _traffic.Of(_first);
        first.Started(Now);
        _clock.Advance(Stall);
        Assert.True(first.PassOver(Now, Now + PassOver.Ticks));
        Assert.False(first.PassOver(Now, Now + PassOver.Ticks), "a second stuck append finds it passed over already");
        first.Ended(Now, answered: false);

        // Nothing in flight there any more, but it stays passed over until the period ends.
        Assert.Same(_second, PickAppend(_first, _second));
        _clock.Advance(PassOver - TimeSpan.FromMilliseconds(1));
        Assert.Same(_second, PickAppend(_first, _second));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Same(_first, PickAppend(_first, _second));
    }

    [Fact]
    public void An_answer_from_a_passed_over_replica_ends_the_period()
    {
        var first = _traffic.Of(_first);
        first.Started(Now);
        first.Started(Now);
        _clock.Advance(Stall);
        first.PassOver(Now, Now + PassOver.Ticks);
        first.Ended(Now, answered: false);

        // The other append it held is answered after all: it was slow, not gone.
        first.Ended(Now, answered: true);
        Assert.Same(_first, PickAppend(_first, _second));
    }

    [Fact]
    public async Task A_stalled_replica_that_answers_its_probe_is_slow_not_stalled_and_one_probe_serves_every_append()
    {
        var first = _traffic.Of(_first);
        first.Started(Now);
        _clock.Advance(Stall);
        Assert.Same(_second, PickAppend(_first, _second));
        var probes = 0;
        var answer = new TaskCompletionSource<bool>();

        var asked = first.AnswersProbeAsync(() => { probes++; return answer.Task; }, _clock);
        var askedAgain = first.AnswersProbeAsync(() => { probes++; return Task.FromResult(false); }, _clock);
        answer.SetResult(true);

        Assert.True(await asked);
        Assert.True(await askedAgain);
        Assert.Equal(1, probes);
        Assert.Same(_first, PickAppend(_first, _second));
    }

    [Fact]
    public async Task A_probe_that_fails_is_no_progress_and_the_next_check_probes_again()
    {
        var first = _traffic.Of(_first);
        first.Started(Now);
        _clock.Advance(Stall);

        Assert.False(await first.AnswersProbeAsync(() => Task.FromResult(false), _clock));
        Assert.True(first.IsStalled(Now, Stall));
        await Assert.ThrowsAsync<InvalidOperationException>(() => first.AnswersProbeAsync(() => throw new InvalidOperationException(), _clock));
        Assert.True(await first.AnswersProbeAsync(() => Task.FromResult(true), _clock));
    }

    [Fact]
    public void When_every_replica_is_stalled_appends_go_to_the_one_with_the_fewest_in_flight()
    {
        _traffic.Of(_first).Started(Now);
        _traffic.Of(_first).Started(Now);
        _traffic.Of(_second).Started(Now);
        _clock.Advance(Stall);

        Assert.Same(_second, PickAppend(_first, _second));
    }

    [Fact]
    public void No_destination_available_gives_none() =>
        Assert.Null(_policy.PickDestination(Request("POST", "/api/tasks/t1/events"), _cluster, []));

    private long Now => _clock.GetUtcNow().UtcTicks;

    private DestinationState PickAppend(params DestinationState[] available) =>
        _policy.PickDestination(Request("POST", "/api/tasks/t1/events"), _cluster, available)!;

    private static DefaultHttpContext Request(string method, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        return context;
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
