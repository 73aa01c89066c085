using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace TaskEvents.ReliabilityTests.Load;

/// <summary>
/// Sits under a client's HttpClient and counts every answer it got (and every attempt that got none), so a run can
/// report the statuses seen and check that none was a 500, that every 503/429 said when to retry, and that no
/// attempt hung past a bound. The client library's own retries stay hidden from the caller, not from this.
/// </summary>
internal sealed class StatusRecorder(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public const string NoAnswer = "no answer";

    private readonly ConcurrentDictionary<string, int> _counts = new();
    private int _withoutRetryAfter;
    private int _streamsOpened;
    private int _gapFillReads;
    private long _slowestAnswerTicks;

    /// <summary>503 and 429 answers that carried no Retry-After.</summary>
    public int WithoutRetryAfter => Volatile.Read(ref _withoutRetryAfter);

    /// <summary>Streams that opened (200 to a GET under /sse/tasks).</summary>
    public int StreamsOpened => Volatile.Read(ref _streamsOpened);

    /// <summary>
    /// Event pages read over REST (GET /api/tasks/{id}/events): under a subscriber's client, each is a gap the stream
    /// left and TaskEvents.Client filled.
    /// </summary>
    public int GapFillReads => Volatile.Read(ref _gapFillReads);

    /// <summary>Answers of 500 and above, by status, like <c>502×3, 503×12</c>; empty when there were none.</summary>
    public IReadOnlyDictionary<int, int> ServerErrors =>
        _counts.Where(c => int.TryParse(c.Key, CultureInfo.InvariantCulture, out var status) && status >= 500)
            .ToDictionary(c => int.Parse(c.Key, CultureInfo.InvariantCulture), c => c.Value);

    /// <summary>The longest any attempt waited for its answer (for streams: for the response headers).</summary>
    public TimeSpan SlowestAnswer => TimeSpan.FromTicks(Interlocked.Read(ref _slowestAnswerTicks));

    public int Count(HttpStatusCode status) => _counts.GetValueOrDefault(((int)status).ToString(CultureInfo.InvariantCulture));

    public int Count(string outcome) => _counts.GetValueOrDefault(outcome);

    public IReadOnlyCollection<string> Outcomes => [.. _counts.Keys];

    /// <summary>Like <c>201×812, 503×4, no answer×2</c>.</summary>
    public string Summary => string.Join(", ", _counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}×{c.Value}"));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (request.Method == HttpMethod.Get && IsEventPage(request.RequestUri!))
        {
            Interlocked.Increment(ref _gapFillReads);
        }

        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            Record(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), started);
            if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests && response.Headers.RetryAfter is null)
            {
                Interlocked.Increment(ref _withoutRetryAfter);
            }

            if (response.StatusCode == HttpStatusCode.OK && request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.StartsWith("/sse/tasks/", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _streamsOpened);
            }

            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Record(NoAnswer, started);
            throw;
        }
        catch (OperationCanceledException)
        {
            // The caller gave up (its own attempt timeout or the end of the run): measured, not counted as an answer.
            RecordDuration(started);
            throw;
        }
    }

    private static bool IsEventPage(Uri uri) =>
        uri.AbsolutePath.StartsWith("/api/tasks/", StringComparison.Ordinal) && uri.AbsolutePath.EndsWith("/events", StringComparison.Ordinal);

    private void Record(string outcome, long started)
    {
        _counts.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        RecordDuration(started);
    }

    private void RecordDuration(long started)
    {
        var ticks = Stopwatch.GetElapsedTime(started).Ticks;
        long seen;
        while (ticks > (seen = Interlocked.Read(ref _slowestAnswerTicks)) && Interlocked.CompareExchange(ref _slowestAnswerTicks, ticks, seen) != seen)
        {
        }
    }
}
