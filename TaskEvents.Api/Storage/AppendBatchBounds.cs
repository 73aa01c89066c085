namespace TaskEvents.Api.Storage;

/// <summary>
/// How many of the waiting requests one append batch takes: in arrival order, as many as stay within the bounds, so one
/// call's statement and its arrays stay modest. The first request is always taken: a request alone may exceed the bytes.
/// </summary>
internal static class AppendBatchBounds
{
    public const int MaxEvents = 1000;
    public const int MaxPayloadChars = 4 * 1024 * 1024;

    /// <summary>Dequeues the next batch; empty only when nothing waits. The caller holds the queue's lock.</summary>
    public static List<PendingAppend> TakeFrom(Queue<PendingAppend> waiting)
    {
        var batch = new List<PendingAppend>();
        int events = 0, payloadChars = 0;
        while (waiting.TryPeek(out var next)
            && (batch.Count == 0 || (events + next.Request.Events.Count <= MaxEvents && payloadChars + next.PayloadChars <= MaxPayloadChars)))
        {
            batch.Add(waiting.Dequeue());
            events += next.Request.Events.Count;
            payloadChars += next.PayloadChars;
        }

        return batch;
    }
}
