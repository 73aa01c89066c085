namespace TaskEvents.AppHost.Dashboard;

/// <summary>The event-channel totals read from the replicas' /metrics at one moment.</summary>
internal sealed record ApiScrape(DateTimeOffset Time, double ActiveConnections, double Appended, double Delivered, IReadOnlyDictionary<double, double> LatencyBuckets)
{
    public static ApiScrape Sum(DateTimeOffset time, IEnumerable<string> metricTexts)
    {
        double connections = 0, appended = 0, delivered = 0;
        var buckets = new Dictionary<double, double>();
        foreach (var (name, labels, value) in metricTexts.SelectMany(PrometheusText.Parse))
        {
            if (name.StartsWith("taskevents_sse_active_connections", StringComparison.Ordinal))
            {
                connections += value;
            }
            else if (name.StartsWith("taskevents_events_appended", StringComparison.Ordinal))
            {
                appended += value;
            }
            else if (name.StartsWith("taskevents_events_delivered", StringComparison.Ordinal))
            {
                delivered += value;
            }
            else if (name.StartsWith("taskevents_delivery_latency", StringComparison.Ordinal) && name.EndsWith("_bucket", StringComparison.Ordinal))
            {
                var bound = PrometheusText.UpperBound(labels);
                buckets[bound] = buckets.GetValueOrDefault(bound) + value;
            }
        }

        return new ApiScrape(time, connections, appended, delivered, buckets);
    }

    /// <summary>The rates and latency quantiles between an earlier scrape and this one.</summary>
    public MetricsSample Since(ApiScrape earlier)
    {
        var seconds = Math.Max((Time - earlier.Time).TotalSeconds, 0.001);
        var window = LatencyBuckets.ToDictionary(b => b.Key, b => Math.Max(0, b.Value - earlier.LatencyBuckets.GetValueOrDefault(b.Key)));
        return new MetricsSample(
            Time,
            ActiveConnections,
            Math.Max(0, Appended - earlier.Appended) / seconds,
            Math.Max(0, Delivered - earlier.Delivered) / seconds,
            Quantile(window, 0.50),
            Quantile(window, 0.99));
    }

    /// <summary>Linear interpolation inside the bucket holding the quantile (as Prometheus' histogram_quantile).</summary>
    private static double? Quantile(Dictionary<double, double> cumulative, double q)
    {
        var ordered = cumulative.OrderBy(b => b.Key).ToList();
        var total = ordered.Count > 0 ? ordered[^1].Value : 0;
        if (total <= 0)
        {
            return null;
        }

        var rank = q * total;
        double lowerBound = 0, lowerCount = 0;
        foreach (var (bound, count) in ordered)
        {
            if (count >= rank)
            {
                if (double.IsPositiveInfinity(bound))
                {
                    return lowerBound;
                }

                var inBucket = count - lowerCount;
                return inBucket <= 0 ? bound : lowerBound + ((bound - lowerBound) * (rank - lowerCount) / inBucket);
            }

            lowerBound = bound;
            lowerCount = count;
        }

        return lowerBound;
    }
}
