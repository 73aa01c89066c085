using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using TaskEvents.Api.Observability;
using TaskEvents.Api.Storage;

namespace TaskEvents.Api.Tests;

/// <summary>
/// One trace from append to delivery, as the Api exports it: the append request's span, the writer's append_events span
/// under it, and each sampled delivery's span linked to that request, whichever Api process delivers it.
/// </summary>
public sealed class DeliveryTracingTests : IAsyncLifetime
{
    private const string AppendRoute = "POST /api/tasks/{task_id}/events";

    /// <summary>Every batch sampled, so a test's one delivery always has its span.</summary>
    private static readonly Dictionary<string, string?> EveryDelivery = new() { ["DeliveryTracing:SpansPerSecond"] = "100000" };

    private readonly ExportedSpans _spans = new();
    private readonly List<ApiHost> _hosts = [];

    private static CancellationToken Within(int seconds = 20) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_delivery_span_links_to_the_append_request_whose_trace_holds_the_append_and_its_commit()
    {
        var api = await StartApiAsync(EveryDelivery);
        using var client = api.CreateHttpClient();
        var taskId = await CreateTaskAsync(client);
        using var stream = await SseWireReader.OpenAsync(client, $"/sse/tasks/{taskId}/events?batch_size=1", cancellationToken: Within());

        await client.AppendAsync(taskId, "step");
        Assert.Single(await stream.ReadEventsAsync(1, Within()));

        var request = await AppendRequestSpanAsync(taskId);
        // The writer's batch of this one request continues its trace, and the database call (the commit) is inside it.
        var append = await _spans.WaitForAsync(s => s.DisplayName == AppendBatchSpan.Name && s.ParentSpanId == request.SpanId, Within());
        Assert.Equal(request.TraceId, append.TraceId);
        await _spans.WaitForAsync(s => s.Source.Name == "Npgsql" && s.ParentSpanId == append.SpanId, Within());

        var delivery = await DeliverySpanAsync(taskId, Within());
        AssertLinkedTo(request, delivery);
        Assert.Equal(1L, delivery.GetTagItem("taskevents.seq.first"));
        Assert.Equal(1L, delivery.GetTagItem("taskevents.seq.last"));
    }

    [Fact]
    public async Task Another_api_process_links_its_delivery_to_the_append_from_the_notification()
    {
        var appending = await StartApiAsync(EveryDelivery);
        var delivering = await StartApiAsync(EveryDelivery, appending.ConnectionString);
        using var producer = appending.CreateHttpClient();
        using var subscriber = delivering.CreateHttpClient();
        var taskId = await CreateTaskAsync(producer);
        using var stream = await SseWireReader.OpenAsync(subscriber, $"/sse/tasks/{taskId}/events?batch_size=1", cancellationToken: Within());

        await producer.AppendAsync(taskId, "step");
        Assert.Single(await stream.ReadEventsAsync(1, Within()));

        AssertLinkedTo(await AppendRequestSpanAsync(taskId), await DeliverySpanAsync(taskId, Within()));
    }

    [Fact]
    public async Task Another_api_process_links_its_delivery_to_the_append_when_it_reads_the_event_from_the_database()
    {
        var appending = await StartApiAsync(EveryDelivery);
        var delivering = await StartApiAsync(EveryDelivery, appending.ConnectionString);
        using var producer = appending.CreateHttpClient();
        using var subscriber = delivering.CreateHttpClient();
        var taskId = await CreateTaskAsync(producer);

        // Appended before anyone follows the task: the delivering process has no tail yet and reads it from the table.
        await producer.AppendAsync(taskId, "step");
        using var stream = await SseWireReader.OpenAsync(subscriber, $"/sse/tasks/{taskId}/events?batch_size=1&since_seq=0", cancellationToken: Within());
        Assert.Single(await stream.ReadEventsAsync(1, Within()));

        AssertLinkedTo(await AppendRequestSpanAsync(taskId), await DeliverySpanAsync(taskId, Within()));
    }

    [Fact]
    public async Task A_batch_of_several_requests_has_its_own_trace_linked_to_each_request()
    {
        var api = await StartApiAsync(EveryDelivery);
        using var client = api.CreateHttpClient();
        var taskIds = new[] { await CreateTaskAsync(client), await CreateTaskAsync(client) };
        var writer = api.GetService<AppendWriter>();
        var appends = new List<Task<HttpResponseMessage>>();
        using (writer.HoldBatches())
        {
            foreach (var taskId in taskIds)
            {
                appends.Add(await writer.QueueAsync(() => client.PostAsJsonAsync($"/api/tasks/{taskId}/events", new { event_type = "step" })));
            }
        }

        foreach (var append in appends)
        {
            using var response = await append;
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var requests = new List<Activity>();
        foreach (var taskId in taskIds)
        {
            requests.Add(await AppendRequestSpanAsync(taskId));
        }

        var batch = await _spans.WaitForAsync(s => s.DisplayName == AppendBatchSpan.Name && s.Links.Any(l => l.Context.SpanId == requests[0].SpanId), Within());
        Assert.Equal(default, batch.ParentSpanId);
        Assert.Equal(requests.Select(r => (r.TraceId, r.SpanId)), batch.Links.Select(l => (l.Context.TraceId, l.Context.SpanId)));
        Assert.Equal(2, batch.GetTagItem("taskevents.append.requests"));
    }

    [Fact]
    public async Task With_delivery_spans_off_the_append_is_traced_and_no_delivery_is()
    {
        var api = await StartApiAsync(new Dictionary<string, string?> { ["DeliveryTracing:SpansPerSecond"] = "0" });
        using var client = api.CreateHttpClient();
        var taskId = await CreateTaskAsync(client);
        using var stream = await SseWireReader.OpenAsync(client, $"/sse/tasks/{taskId}/events?batch_size=1", cancellationToken: Within());

        await client.AppendAsync(taskId, "step");
        Assert.Single(await stream.ReadEventsAsync(1, Within()));
        await AppendRequestSpanAsync(taskId);

        // A stream writes its next batch only after the previous flush returned and its span (had it one) ended.
        await client.AppendAsync(taskId, "step");
        Assert.Single(await stream.ReadEventsAsync(1, Within()));
        Assert.DoesNotContain(_spans.Snapshot(), s => IsDeliveryOf(taskId)(s));
    }

    private async Task<ApiHost> StartApiAsync(IReadOnlyDictionary<string, string?> settings, string? connectionString = null)
    {
        var host = await ApiHost.StartAsync(connectionString, settings,
            services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans)));
        _hosts.Add(host);
        return host;
    }

    /// <summary>
    /// A task of its own: the Api hosts of every test in this process export each other's spans, so a test finds its own by
    /// task id.
    /// </summary>
    private static async Task<string> CreateTaskAsync(HttpClient client)
    {
        var taskId = $"traced-{Guid.NewGuid():N}";
        await client.CreateTaskAsync(taskId);
        return taskId;
    }

    /// <summary>The Api's server span of the (first) append to the task.</summary>
    private Task<Activity> AppendRequestSpanAsync(string taskId) =>
        _spans.WaitForAsync(s => s.Kind == ActivityKind.Server && s.DisplayName == AppendRoute
            && Equals(s.GetTagItem("url.path"), $"/api/tasks/{taskId}/events"), Within());

    private Task<Activity> DeliverySpanAsync(string taskId, CancellationToken cancellationToken) =>
        _spans.WaitForAsync(s => IsDeliveryOf(taskId)(s), cancellationToken);

    private static Func<Activity, bool> IsDeliveryOf(string taskId) =>
        s => s.DisplayName == DeliverySpans.Name && Equals(s.GetTagItem("taskevents.task_id"), taskId);

    private static void AssertLinkedTo(Activity request, Activity delivery)
    {
        // A trace of its own (not the stream's, not the append's), linked to the request that appended the event.
        Assert.Equal(default, delivery.ParentSpanId);
        Assert.NotEqual(request.TraceId, delivery.TraceId);
        var link = Assert.Single(delivery.Links);
        Assert.Equal((request.TraceId, request.SpanId), (link.Context.TraceId, link.Context.SpanId));
    }
}
