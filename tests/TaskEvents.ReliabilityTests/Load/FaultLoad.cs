using System.Diagnostics;

namespace TaskEvents.ReliabilityTests.Load;

/// <summary>What a fault run puts on the system.</summary>
internal sealed record LoadSettings(Uri Gateway, Func<string> NewToken)
{
    public int Tasks { get; init; } = Scale.Tasks;

    public int Subscribers { get; init; } = Scale.Subscribers;

    public double EventsPerSecond { get; init; } = Scale.EventsPerSecond;

    /// <summary>The Api's keepalive interval, so the subscribers' watchdogs notice a silent stream in time.</summary>
    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sockets under the subscribers' HttpClient (e.g. ones a test can drop); null for a plain handler.</summary>
    public HttpMessageHandler? SubscriberHandler { get; init; }

    /// <summary>The subscribers' batch_size; null leaves it to the server.</summary>
    public int? BatchSize { get; init; }

    public int PayloadBytes { get; init; } = 200;

    /// <summary>
    /// One producer per task (each its own token, at its share of the rate) instead of one for all: an append stuck on
    /// a frozen replica then holds up its own task only.
    /// </summary>
    public bool ProducerPerTask { get; init; }
}

/// <summary>
/// S subscribers through the gateway (one token each, spread over the tasks; half read with TaskEvents.Client, half
/// read the raw SSE wire as a browser does) and a producer appending at R events/s; a fault test injects its fault mid-stream, measures the recovery, then
/// <see cref="FinishAsync"/> ends the tasks and checks every subscriber's sequence against what was acknowledged.
/// </summary>
internal sealed class FaultLoad : IAsyncDisposable
{
    private readonly LoadSettings _settings;
    private readonly CancellationTokenSource _run = new(Scale.Deadline * 2);
    private readonly CancellationTokenSource _stopProducing = new();
    private readonly HttpClient _producerHttp;
    private readonly HttpClient _subscriberHttp;
    private readonly TaskEventsClient _producerClient;
    private readonly List<Subscriber> _subscribers = [];
    private readonly List<Producer> _taskProducers = [];
    private Task _producing = Task.CompletedTask;

    private FaultLoad(LoadSettings settings)
    {
        _settings = settings;
        ProducerStatuses = new StatusRecorder(new SocketsHttpHandler());
        SubscriberStatuses = new StatusRecorder(settings.SubscriberHandler ?? new SocketsHttpHandler());
        _producerHttp = new HttpClient(ProducerStatuses) { Timeout = Timeout.InfiniteTimeSpan };
        _subscriberHttp = new HttpClient(SubscriberStatuses) { Timeout = Timeout.InfiniteTimeSpan };
        _producerClient = new TaskEventsClient(_producerHttp, ClientOptions(settings.NewToken()));
        Producer = new Producer(_producerClient, Acknowledgements, settings.PayloadBytes);
        TaskIds = [.. Enumerable.Range(0, settings.Tasks).Select(i => $"fault-{Guid.NewGuid():N}-{i}")];
    }

    public IReadOnlyList<string> TaskIds { get; }

    public Acknowledgements Acknowledgements { get; } = new();

    public Producer Producer { get; }

    public StatusRecorder ProducerStatuses { get; }

    public StatusRecorder SubscriberStatuses { get; }

    public IReadOnlyList<Subscriber> Subscribers => _subscribers;

    /// <summary>Creates the tasks, starts the subscribers and, unless told otherwise, the producer.</summary>
    public static async Task<FaultLoad> StartAsync(LoadSettings settings, bool produce = true)
    {
        var load = new FaultLoad(settings);
        await Task.WhenAll(load.TaskIds.Select(taskId => load._producerClient.CreateTaskAsync(taskId)));
        for (var i = 0; i < settings.Subscribers; i++)
        {
            var taskId = load.TaskIds[i % load.TaskIds.Count];
            if (i % 2 == 0)
            {
                load.Subscribe(taskId);
            }
            else
            {
                load.SubscribeOnWire(taskId);
            }
        }

        if (produce)
        {
            load.StartProducing();
        }

        return load;
    }

    public void StartProducing()
    {
        if (!_settings.ProducerPerTask)
        {
            _producing = Task.Run(() => Producer.RunAsync(TaskIds, _settings.EventsPerSecond, Scale.Deadline, _stopProducing.Token));
            return;
        }

        var share = _settings.EventsPerSecond / TaskIds.Count;
        _producing = Task.WhenAll(TaskIds.Select(taskId =>
        {
            var producer = NewProducer();
            _taskProducers.Add(producer);
            return Task.Run(() => producer.RunAsync([taskId], share, Scale.Deadline, _stopProducing.Token));
        }));
    }

    /// <summary>Appends for which a producer's client gave up after its own retries (then sent again), over all producers.</summary>
    public int GaveUp => Producer.GaveUp + _taskProducers.Sum(p => p.GaveUp);

    /// <summary>Adds a subscriber of <paramref name="taskId"/> (its own token and client), paced by <paramref name="afterEach"/>.</summary>
    public ClientSubscriber Subscribe(string taskId, Func<Task>? afterEach = null, HttpClient? http = null)
    {
        var subscriber = ClientSubscriber.Start(new TaskEventsClient(http ?? _subscriberHttp, ClientOptions(_settings.NewToken())), taskId, _run.Token, afterEach);
        _subscribers.Add(subscriber);
        return subscriber;
    }

    /// <summary>Adds a subscriber of <paramref name="taskId"/> that reads the raw SSE wire (its own token).</summary>
    public WireSubscriber SubscribeOnWire(string taskId)
    {
        var subscriber = WireSubscriber.Start(_subscriberHttp, _settings.Gateway, taskId, _settings.NewToken(), _settings.BatchSize, _settings.KeepaliveInterval, _run.Token);
        _subscribers.Add(subscriber);
        return subscriber;
    }

    /// <summary>Another producer with a token of its own, sharing this load's HTTP client, status counts and acknowledgements.</summary>
    public Producer NewProducer() => new(new TaskEventsClient(_producerHttp, ClientOptions(_settings.NewToken())), Acknowledgements, _settings.PayloadBytes);

    /// <summary>Every subscriber has received an event: the streams are live, the fault can come.</summary>
    public Task WaitUntilStreamingAsync() =>
        UntilAsync(() => _subscribers.All(s => s.FirstEvent.IsCompleted), "every subscriber received its first event");

    public async Task WaitForAcknowledgedAsync(int more)
    {
        var target = Acknowledgements.Count + more;
        await UntilAsync(() => Acknowledgements.Count >= target, $"{more} more events acknowledged");
    }

    /// <summary>
    /// Waits until every subscriber has received an event acknowledged at or after <paramref name="since"/> and returns
    /// how long after <paramref name="since"/> the last of them got it: the time to full recovery.
    /// </summary>
    public async Task<TimeSpan> WaitForRecoveryAsync(DateTimeOffset since)
    {
        DateTimeOffset? Recovered(Subscriber s) =>
            Acknowledgements.FirstAckedSince(s.TaskId, since) is { } seq ? s.ArrivalOf(seq) : null;

        await UntilAsync(() => _subscribers.All(s => Recovered(s) is not null), "every subscriber received an event acknowledged after the fault");
        return _subscribers.Max(s => Recovered(s)!.Value) - since;
    }

    /// <summary>Stops the producer, ends every task, waits for every subscription to end and checks what each received.</summary>
    public async Task<DeliveryCheck> FinishAsync()
    {
        await _stopProducing.CancelAsync();
        await _producing;
        await Producer.CompleteAsync(TaskIds, Scale.Deadline);
        var all = Task.WhenAll(_subscribers.Select(s => s.Completion));
        try
        {
            await all.WaitAsync(Scale.Deadline);
        }
        catch (TimeoutException)
        {
            var open = _subscribers.Count(s => !s.Completion.IsCompleted);
            throw new TimeoutException($"{open} of {_subscribers.Count} subscriptions had not ended {Scale.Deadline.TotalSeconds} s after their tasks ended.");
        }

        return DeliveryCheck.Of(_subscribers, Acknowledgements);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopProducing.CancelAsync();
        await _run.CancelAsync();
        try
        {
            await Task.WhenAll(_subscribers.Select(s => s.Completion).Append(_producing));
        }
        catch (Exception)
        {
            // Ended by the cancellation above, or already reported by the test.
        }

        _producerClient.Dispose();
        _producerHttp.Dispose();
        _subscriberHttp.Dispose();
        _run.Dispose();
        _stopProducing.Dispose();
    }

    private TaskEventsClientOptions ClientOptions(string token) => new()
    {
        BaseAddress = _settings.Gateway,
        AccessTokenProvider = (_, _) => ValueTask.FromResult<string?>(token),
        KeepaliveInterval = _settings.KeepaliveInterval,
        ReconnectDelay = TimeSpan.FromMilliseconds(500),
        MaxReconnectDelay = TimeSpan.FromSeconds(2),
        RequestTimeout = TimeSpan.FromSeconds(30),
        BatchSize = _settings.BatchSize,
    };

    private async Task UntilAsync(Func<bool> condition, string description)
    {
        var failed = _subscribers.Select(s => s.Completion).Append(_producing);
        await Poll.UntilAsync(() =>
        {
            // A subscription or the producer that died will never make the condition true: say why at once.
            if (failed.FirstOrDefault(t => t.IsFaulted) is { } broken)
            {
                throw new InvalidOperationException($"The load failed while waiting until {description}.", broken.Exception!.GetBaseException());
            }

            return condition();
        }, Scale.Deadline, description);
    }
}
