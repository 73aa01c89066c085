namespace TaskEvents.Api.Tests;

/// <summary>A fresh Api on a fresh database per test class instance (that is, per test), and a client for it.</summary>
public abstract class ApiTestBase : IAsyncLifetime
{
    protected ApiHost Api { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>Configuration overrides for this class's Api, e.g. a short keepalive.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Bounds every wait in a test, so a regression fails instead of hanging.</summary>
    protected static CancellationToken Within(int seconds = 20) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    public virtual async Task InitializeAsync()
    {
        Api = await ApiHost.StartAsync(settings: Settings);
        Client = Api.CreateHttpClient();
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await Api.DisposeAsync();
    }
}
