namespace TaskEvents.Api.Apis;

/// <summary>The body of <c>GET /sse/health</c>, with the seed's fields (snake_case on the wire).</summary>
internal sealed record StreamHealthResponse(string Status, string Service, string Version, string Protocol, int ActiveConnections, string Listener);
