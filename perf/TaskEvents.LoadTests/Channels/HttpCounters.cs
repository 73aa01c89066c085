namespace TaskEvents.LoadTests.Channels;

/// <summary>
/// Counts, below every client, what the client itself would retry silently: streams opened (reconnects included) and
/// failed exchanges (transport errors and answers of 400 or more, e.g. 429, 502).
/// </summary>
internal sealed class HttpCounters : DelegatingHandler
{
    private long _streamsOpened;
    private long _errors;

    public HttpCounters() : base(new SocketsHttpHandler
    {
        // Thousands of long-lived streams to one host: one connection each, never recycled mid-run.
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        MaxConnectionsPerServer = int.MaxValue,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
    }

    public long StreamsOpened => Interlocked.Read(ref _streamsOpened);

    public long Errors => Interlocked.Read(ref _errors);

    public void CountError() => Interlocked.Increment(ref _errors);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            if ((int)response.StatusCode >= 400)
            {
                Interlocked.Increment(ref _errors);
            }
            else if (request.Method == HttpMethod.Get && request.Headers.Accept.Any(a => a.MediaType == "text/event-stream"))
            {
                Interlocked.Increment(ref _streamsOpened);
            }

            return response;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _errors);
            throw;
        }
    }
}
