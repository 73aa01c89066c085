using System.Runtime.CompilerServices;

namespace TaskEvents.Client.Streaming;

/// <summary>
/// Reads the events a stream skipped, (afterSeq, upToSeq], over REST page by page, in order. When the server is
/// unavailable it stops early and says why in <see cref="Failure"/>: the subscription then reconnects from the
/// last event it yielded, so nothing is lost either way.
/// </summary>
internal sealed class GapFill(Func<long, int, CancellationToken, Task<EventPage>> readPageAsync, int pageSize, long afterSeq, long upToSeq)
{
    public string? Failure { get; private set; }

    public async IAsyncEnumerable<TaskEvent> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = afterSeq;
        while (cursor < upToSeq)
        {
            var page = await TryReadPageAsync(cursor, (int)Math.Min(pageSize, upToSeq - cursor), cancellationToken);
            if (page is null)
            {
                yield break;
            }

            foreach (var missing in page.Events.Where(e => e.Seq > cursor && e.Seq <= upToSeq))
            {
                cursor = missing.Seq;
                yield return missing;
            }

            if (!page.HasMore || page.Events.Count == 0)
            {
                // Seqs are dense, so this only ends early if the server broke that promise: go on with what exists.
                yield break;
            }
        }
    }

    private async Task<EventPage?> TryReadPageAsync(long sinceSeq, int limit, CancellationToken cancellationToken)
    {
        try
        {
            return await readPageAsync(sinceSeq, limit, cancellationToken);
        }
        catch (TaskEventsUnavailableException ex)
        {
            Failure = ex.Message;
            return null;
        }
    }
}
