using Microsoft.AspNetCore.Http;

namespace TaskEvents.ServiceDefaults.Authentication;

/// <summary>Where a token may arrive as a query parameter (none when empty).</summary>
/// <param name="Prefix">A path prefix such as <c>/sse</c>.</param>
public sealed record QueryTokenPath(PathString Prefix);
