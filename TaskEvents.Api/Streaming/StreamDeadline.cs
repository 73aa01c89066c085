namespace TaskEvents.Api.Streaming;

/// <summary>
/// A connection's next flush or keepalive deadline. Re-arming moves one timer instead of allocating a new one,
/// which matters when every subscriber waits again after each event. It may fire early after a re-arm:
/// callers check the time before acting on it.
/// </summary>
internal sealed class StreamDeadline : IDisposable
{
    private readonly Timer _timer;
    private TaskCompletionSource _reached = NewSignal();

    public StreamDeadline() => _timer = new Timer(_ => Volatile.Read(ref _reached).TrySetResult());

    /// <summary>Completes when <paramref name="dueIn"/> has passed (or, rarely, a little earlier).</summary>
    public Task ArmAsync(TimeSpan dueIn)
    {
        if (_reached.Task.IsCompleted)
        {
            Volatile.Write(ref _reached, NewSignal());
        }

        _timer.Change(dueIn, Timeout.InfiniteTimeSpan);
        return _reached.Task;
    }

    public void Dispose() => _timer.Dispose();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
