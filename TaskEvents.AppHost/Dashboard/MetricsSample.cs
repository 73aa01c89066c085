namespace TaskEvents.AppHost.Dashboard;

/// <summary>One point of the event-channel charts, summed over the Api replicas.</summary>
internal sealed record MetricsSample(
    DateTimeOffset Time, double ActiveConnections, double AppendsPerSecond, double DeliveriesPerSecond, double? LatencyP50Ms, double? LatencyP99Ms);
