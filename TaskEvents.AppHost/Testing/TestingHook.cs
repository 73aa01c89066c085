using TaskEvents.AppHost.Hosting;

namespace TaskEvents.AppHost.Testing;

/// <summary>
/// Lets the test harness run the AppHost's own Program up to <c>Build()</c> and take the builder from there,
/// so tests start the very app model a developer runs.
/// </summary>
internal sealed class TestingHook
{
    private static readonly AsyncLocal<TestingHook?> Active = new();

    private readonly TaskCompletionSource<DistributedApplicationBuilder> _captured = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static TestingHook? Current => Active.Value;

    public Task<DistributedApplicationBuilder> Builder => _captured.Task;

    public static TestingHook Enter()
    {
        var hook = new TestingHook();
        Active.Value = hook;
        return hook;
    }

    /// <summary>Hands the builder over and stops the entry point from running the app itself.</summary>
    public void Capture(DistributedApplicationBuilder builder)
    {
        _captured.TrySetResult(builder);
        throw new ModelCapturedException();
    }

    /// <summary>Unwinds Program after <c>Build()</c>: the harness runs the model itself.</summary>
    internal sealed class ModelCapturedException : Exception
    {
        public ModelCapturedException() : base("The test harness took over the app model.")
        {
        }
    }
}
