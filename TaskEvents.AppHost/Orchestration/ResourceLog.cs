using System.Threading.Channels;

namespace TaskEvents.AppHost.Orchestration;

/// <summary>
/// The last <see cref="Capacity"/> lines of a resource's stdout and stderr, timestamped, with live followers.
/// Bounded both ways: old lines fall off, and a follower that cannot keep up loses its oldest unread lines.
/// </summary>
public sealed class ResourceLog(int capacity = ResourceLog.DefaultCapacity)
{
    public const int DefaultCapacity = 5000;

    private readonly Queue<LogLine> _lines = new();
    private readonly List<Channel<LogLine>> _followers = [];
    private long _next;

    public int Capacity { get; } = capacity;

    /// <summary>Called for every line as it arrives (the test harness sends them to the test output).</summary>
    public event Action<LogLine>? LineWritten;

    public void Write(string text, bool isError = false)
    {
        LogLine line;
        lock (_lines)
        {
            line = new LogLine(++_next, DateTimeOffset.UtcNow, isError, text);
            _lines.Enqueue(line);
            while (_lines.Count > Capacity)
            {
                _lines.Dequeue();
            }

            foreach (var follower in _followers)
            {
                follower.Writer.TryWrite(line);
            }
        }

        LineWritten?.Invoke(line);
    }

    public IReadOnlyList<LogLine> Snapshot()
    {
        lock (_lines)
        {
            return [.. _lines];
        }
    }

    /// <summary>The last <paramref name="count"/> lines as text, for error messages.</summary>
    public IReadOnlyList<string> Tail(int count) => [.. Snapshot().TakeLast(count).Select(l => l.Text)];

    /// <summary>Every line kept so far, then each new one until <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<LogLine> FollowAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<LogLine>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest });
        IReadOnlyList<LogLine> backlog;
        lock (_lines)
        {
            backlog = [.. _lines];
            _followers.Add(channel);
        }

        try
        {
            foreach (var line in backlog)
            {
                yield return line;
            }

            await foreach (var line in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return line;
            }
        }
        finally
        {
            lock (_lines)
            {
                _followers.Remove(channel);
            }
        }
    }
}
