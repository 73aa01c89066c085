namespace TaskEvents.ReliabilityTests.Load;

/// <summary>
/// Follows one task with TaskEvents.Client's <c>SubscribeAsync</c>, as a user's service would. The client drops repeats
/// and fills gaps over REST, so its record alone cannot show a stream that skipped: the REST reads it made are counted
/// under it (<see cref="StatusRecorder.GapFillReads"/>). <paramref name="afterEach"/> paces a slow reader.
/// </summary>
internal sealed class ClientSubscriber : Subscriber
{
    private ClientSubscriber(string taskId)
        : base(taskId)
    {
    }

    public override string Kind => "client";

    public static ClientSubscriber Start(TaskEventsClient client, string taskId, CancellationToken cancellationToken, Func<Task>? afterEach = null)
    {
        var subscriber = new ClientSubscriber(taskId);
        subscriber.Completion = Task.Run(() => subscriber.FollowAsync(client, afterEach, cancellationToken), CancellationToken.None);
        return subscriber;
    }

    private async Task FollowAsync(TaskEventsClient client, Func<Task>? afterEach, CancellationToken cancellationToken)
    {
        await foreach (var received in client.SubscribeAsync(TaskId, 0, cancellationToken))
        {
            Record(received.Seq, received.EventId, received.CreatedAt);
            if (afterEach is not null)
            {
                await afterEach();
            }
        }
    }
}
