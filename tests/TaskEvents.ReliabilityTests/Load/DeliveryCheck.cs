namespace TaskEvents.ReliabilityTests.Load;

/// <summary>
/// Every subscriber's sequence against what was acknowledged: acknowledged events it never got (lost), event ids it got
/// more than once (duplicated), events whose seq was not above the one before (out of order), and events whose id is
/// not the one acknowledged for that seq (mismatched). <see cref="Wire"/> holds the same figures for the subscribers
/// that read the raw SSE wire, which no client library repaired.
/// </summary>
internal sealed record DeliveryCheck(int Subscribers, int Acknowledged, long Delivered, int Lost, int Duplicated, int OutOfOrder, int Mismatched)
{
    /// <summary>The raw-wire subscribers' share of the figures (null for the share itself).</summary>
    public DeliveryCheck? Wire { get; init; }

    public bool Perfect => Lost == 0 && Duplicated == 0 && OutOfOrder == 0 && Mismatched == 0;

    public static DeliveryCheck Of(IReadOnlyCollection<Subscriber> subscribers, Acknowledgements acknowledgements) =>
        Tally(subscribers, acknowledgements) with { Wire = Tally([.. subscribers.Where(s => s is WireSubscriber)], acknowledgements) };

    private static DeliveryCheck Tally(IReadOnlyCollection<Subscriber> subscribers, Acknowledgements acknowledgements)
    {
        int lost = 0, duplicated = 0, outOfOrder = 0, mismatched = 0;
        long delivered = 0;
        foreach (var subscriber in subscribers)
        {
            var acked = acknowledgements.Of(subscriber.TaskId);
            var seen = new HashSet<string>();
            var previous = 0L;
            foreach (var received in subscriber.Received)
            {
                delivered++;
                if (received.Seq <= previous)
                {
                    outOfOrder++;
                }

                if (!seen.Add(received.EventId))
                {
                    duplicated++;
                }

                if (acked.TryGetValue(received.Seq, out var expected) && expected.EventId != received.EventId)
                {
                    mismatched++;
                }

                previous = Math.Max(previous, received.Seq);
            }

            lost += acked.Values.Count(a => !seen.Contains(a.EventId));
        }

        return new DeliveryCheck(subscribers.Count, acknowledgements.Count, delivered, lost, duplicated, outOfOrder, mismatched);
    }

    public override string ToString() =>
        $"{Subscribers} subscribers, {Acknowledged} events acknowledged, {Delivered} deliveries: {Lost} lost, {Duplicated} duplicated, {OutOfOrder} out of order, {Mismatched} mismatched" +
        (Wire is { } wire ? $" (of them {wire.Subscribers} on the raw wire: {wire.Lost} lost, {wire.Duplicated} duplicated, {wire.OutOfOrder} out of order, {wire.Mismatched} mismatched)" : "");
}
