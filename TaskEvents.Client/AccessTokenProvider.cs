namespace TaskEvents.Client;

/// <summary>
/// Supplies the bearer token for a request. <paramref name="forceRefresh"/> is true after the server answered 401
/// with the previous token: return a new one (or null to give up).
/// </summary>
public delegate ValueTask<string?> AccessTokenProvider(bool forceRefresh, CancellationToken cancellationToken);
