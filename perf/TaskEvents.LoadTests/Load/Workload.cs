namespace TaskEvents.LoadTests.Load;

/// <summary>
/// One run's load: <see cref="Tasks"/> tasks, each followed by <see cref="SubscribersPerTask"/> subscribers (closed model,
/// connected over <see cref="Ramp"/> and then kept), each receiving <see cref="EventsPerSecondPerTask"/> events/s
/// (open model) for <see cref="Warmup"/> (not measured) plus <see cref="Duration"/> (measured).
/// </summary>
internal sealed record Workload(int Tasks, int SubscribersPerTask, double EventsPerSecondPerTask, TimeSpan Duration, TimeSpan Warmup, TimeSpan Ramp)
{
    public int Subscribers => Tasks * SubscribersPerTask;

    public double AppendsPerSecond => Tasks * EventsPerSecondPerTask;

    public double DeliveriesPerSecond => AppendsPerSecond * SubscribersPerTask;

    public string Describe() =>
        $"{Tasks} tasks × {SubscribersPerTask} subscribers, {EventsPerSecondPerTask:0.##} events/s per task " +
        $"({AppendsPerSecond:N0} appends/s, {DeliveriesPerSecond:N0} deliveries/s), ramp {Ramp.TotalSeconds:0.#} s, " +
        $"warm-up {Warmup.TotalSeconds:0.#} s, measured {Duration.TotalSeconds:0.#} s";
}
