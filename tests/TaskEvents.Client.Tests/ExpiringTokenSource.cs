namespace TaskEvents.Client.Tests;

/// <summary>
/// A token source as applications write one: it hands out its cached token until asked to refresh, and each token
/// lives <c>lifetime</c>. It counts refreshes, and can be told to fail them.
/// </summary>
internal sealed class ExpiringTokenSource(TimeSpan lifetime)
{
    private readonly Lock _gate = new();
    private string? _token;
    private int _refreshes;

    /// <summary>What a refresh does instead of issuing a token: throw, or return null. Null issues tokens.</summary>
    public Func<string?>? FailRefresh { get; init; }

    public int Refreshes
    {
        get
        {
            lock (_gate)
            {
                return _refreshes;
            }
        }
    }

    public ValueTask<string?> GetAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (forceRefresh)
            {
                _refreshes++;
                if (FailRefresh is { } fail)
                {
                    return ValueTask.FromResult(fail());
                }
            }

            if (forceRefresh || _token is null)
            {
                _token = TestTokens.ValidFor(lifetime);
            }

            return ValueTask.FromResult<string?>(_token);
        }
    }
}
