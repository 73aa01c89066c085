namespace TaskEvents.Api.Streaming;

/// <summary>A stream's validated settings: where to resume and how to batch.</summary>
public sealed record StreamParameters(long SinceSeq, int BatchSize, TimeSpan FlushInterval);
