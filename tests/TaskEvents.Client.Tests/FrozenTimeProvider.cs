namespace TaskEvents.Client.Tests;

/// <summary>
/// A clock whose timers never fire: any backoff wait or timeout the client starts lasts forever, which proves
/// that a behaviour happened without one (e.g. following a reconnect message at once).
/// </summary>
internal sealed class FrozenTimeProvider : TimeProvider
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NeverFiringTimer();

    private sealed class NeverFiringTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
