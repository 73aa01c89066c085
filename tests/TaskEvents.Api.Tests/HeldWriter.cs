using TaskEvents.Api.Storage;

namespace TaskEvents.Api.Tests;

/// <summary>Puts requests into one batch of a held <see cref="AppendWriter"/>, in a known order.</summary>
internal static class HeldWriter
{
    /// <summary>Starts the append and returns once the writer has it queued, so the next one queues behind it.</summary>
    public static async Task<Task<T>> QueueAsync<T>(this AppendWriter writer, Func<Task<T>> send)
    {
        var queued = writer.WaitingRequests + 1;
        var sent = send();
        await Poll.UntilAsync(() => writer.WaitingRequests == queued || sent.IsCompleted, TimeSpan.FromSeconds(10), "the append is queued");
        Assert.False(sent.IsCompleted, "The append was answered while the writer was held.");
        return sent;
    }
}
