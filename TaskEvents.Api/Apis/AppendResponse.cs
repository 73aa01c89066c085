using TaskEvents.Api.Storage;

namespace TaskEvents.Api.Apis;

/// <summary>The seqs an append assigned (or, for idempotent repeats, had assigned before).</summary>
internal sealed record AppendResponse(string TaskId, long LastSeq, IReadOnlyList<AppendedEvent> Events);
