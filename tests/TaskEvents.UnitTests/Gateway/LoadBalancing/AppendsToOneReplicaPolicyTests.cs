using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
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

    private readonly ManualClock _clock = new();
    private readonly AppendsToOneReplicaPolicy _policy;
    private readonly ClusterState _cluster = new("api");
    private readonly DestinationState _first = new("api/0");
    private readonly DestinationState _second = new("api/1");

    public AppendsToOneReplicaPolicyTests() =>
        _policy = new AppendsToOneReplicaPolicy(Options.Create(new AppendRoutingOptions { StallSeconds = Stall.TotalSeconds }), _clock);

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
        // The first replica holds more requests (its streams): appends still go there, not to the least loaded.
        _first.ConcurrentRequestCount = 10;

        for (var i = 0; i < 5; i++)
        {
            Assert.Same(_first, PickAppend(_second, _first));
        }
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
        var stuck = Request("POST", "/api/tasks/t1/events");
        Assert.Same(_first, _policy.PickDestination(stuck, _cluster, [_first, _second]));

        // Another append, not answered either: the clock runs from the first one.
        _clock.Advance(Stall - TimeSpan.FromMilliseconds(1));
        Assert.Same(_first, _policy.PickDestination(Request("POST", "/api/tasks/t2/events"), _cluster, [_first, _second]));

        _clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.Same(_second, PickAppend(_first, _second));

        // The stuck append is answered at last: the first replica takes appends again.
        EndRequest(stuck);
        Assert.Same(_first, PickAppend(_first, _second));
    }

    [Fact]
    public void Appends_given_up_on_are_not_an_answer_but_free_the_replica_to_be_tried_again()
    {
        var stuck = Request("POST", "/api/tasks/t1/events");
        var aborted = new CancellationTokenSource();
        stuck.RequestAborted = aborted.Token;
        Assert.Same(_first, _policy.PickDestination(stuck, _cluster, [_first, _second]));
        _clock.Advance(Stall * 2);
        Assert.Same(_second, PickAppend(_first, _second));

        // The client gave up while it was stalled: still no answer, so it stays passed over while appends are in flight.
        aborted.Cancel();
        var another = Request("POST", "/api/tasks/t1/events");
        Assert.Same(_second, _policy.PickDestination(another, _cluster, [_first, _second]));
        EndRequest(stuck);

        // With nothing in flight there it is tried again, and its stall clock starts over.
        Assert.Same(_first, PickAppend(_first, _second));
    }

    [Fact]
    public void When_every_replica_is_stalled_appends_go_to_the_one_with_the_fewest_in_flight()
    {
        Assert.Same(_first, _policy.PickDestination(Request("POST", "/api/tasks/t1/events"), _cluster, [_first, _second]));
        Assert.Same(_first, _policy.PickDestination(Request("POST", "/api/tasks/t2/events"), _cluster, [_first, _second]));
        _clock.Advance(Stall * 2);
        Assert.Same(_second, _policy.PickDestination(Request("POST", "/api/tasks/t3/events"), _cluster, [_first, _second]));
        _clock.Advance(Stall * 2);

        Assert.Same(_second, PickAppend(_first, _second));
    }

    [Fact]
    public void No_destination_available_gives_none() =>
        Assert.Null(_policy.PickDestination(Request("POST", "/api/tasks/t1/events"), _cluster, []));

    /// <summary>Picks a replica for an append that is answered at once.</summary>
    private DestinationState PickAppend(params DestinationState[] available)
    {
        var context = Request("POST", "/api/tasks/t1/events");
        var chosen = _policy.PickDestination(context, _cluster, available);
        EndRequest(context);
        return chosen!;
    }

    private static DefaultHttpContext Request(string method, string path)
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseFeature>(new CompletingResponseFeature());
        context.Request.Method = method;
        context.Request.Path = path;
        return context;
    }

    /// <summary>What the server does at the end of a request: runs its completion callbacks (disposals among them).</summary>
    private static void EndRequest(DefaultHttpContext context) =>
        ((CompletingResponseFeature)context.Features.Get<IHttpResponseFeature>()!).Complete();

    /// <summary>A response that keeps its completion callbacks for <see cref="EndRequest"/> (the default one drops them).</summary>
    private sealed class CompletingResponseFeature : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _completed = [];

        public override void OnCompleted(Func<object, Task> callback, object state) => _completed.Add((callback, state));

        public void Complete() => _completed.ForEach(c => c.Callback(c.State).GetAwaiter().GetResult());
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
