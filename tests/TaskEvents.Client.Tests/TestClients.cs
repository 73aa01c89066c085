namespace TaskEvents.Client.Tests;

/// <summary>Clients with short delays, so reconnects and retries happen within a test's patience.</summary>
internal static class TestClients
{
    public static TaskEventsClient Create(Uri baseAddress, Action<TaskEventsClientOptions>? configure = null)
    {
        var options = new TaskEventsClientOptions
        {
            BaseAddress = baseAddress,
            ReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(250),
            RetryDelay = TimeSpan.FromMilliseconds(20),
            MaxRetryDelay = TimeSpan.FromSeconds(2),
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return TaskEventsClient.Create(options);
    }

    public static NewTaskEvent[] Notes(int count) => [.. Enumerable.Range(1, count).Select(i => new NewTaskEvent("note") { Phase = $"n{i}" })];
}
