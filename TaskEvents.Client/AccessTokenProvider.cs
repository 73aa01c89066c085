namespace TaskEvents.Client;

/// <summary>
/// Supplies the bearer token for a request. <paramref name="forceRefresh"/> is true after the server answered 401
/// with the previous token, or ended a stream because its token expired (<c>reconnect</c> / <c>token_expired</c>):
/// return a new one, not a cached one. Returning null, or throwing, ends the call or the subscription (with
/// <see cref="TaskEventsAuthenticationException"/>, or with the exception thrown); it is never retried in a loop.
/// </summary>
public delegate ValueTask<string?> AccessTokenProvider(bool forceRefresh, CancellationToken cancellationToken);
