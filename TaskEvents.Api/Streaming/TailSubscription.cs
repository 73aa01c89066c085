namespace TaskEvents.Api.Streaming;

/// <summary>A subscriber's hold on a task tail.</summary>
public sealed class TailSubscription(TaskTailRegistry registry, TaskTail tail) : IDisposable
{
    private int _disposed;

    public TaskTail Tail => tail;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            registry.Release(tail);
        }
    }
}
