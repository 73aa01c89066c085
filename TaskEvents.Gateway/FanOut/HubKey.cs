namespace TaskEvents.Gateway.FanOut;

/// <summary>
/// What subscribers must share to share a stream: the tenant (from their tokens), the task, and the stream parameters
/// other than the resume point, as a canonical query (<c>batch_size</c>, <c>flush_interval</c>, anything else sent).
/// </summary>
internal readonly record struct HubKey(string Tenant, string TaskId, string Query);
