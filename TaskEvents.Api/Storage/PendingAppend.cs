namespace TaskEvents.Api.Storage;

/// <summary>An append request waiting for the writer, and the answer its HTTP request awaits.</summary>
internal sealed class PendingAppend(AppendRequest request)
{
    public AppendRequest Request => request;

    public int PayloadChars { get; } = request.Events.Sum(e => e.PayloadJson.Length);

    public TaskCompletionSource<AppendOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
