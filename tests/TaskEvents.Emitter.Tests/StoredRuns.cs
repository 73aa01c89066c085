namespace TaskEvents.Emitter.Tests;

/// <summary>Reads everything a task holds, page by page, through the client library.</summary>
internal static class StoredRuns
{
    public static async Task<List<TaskEvent>> ReadAllAsync(Uri gateway, string taskId)
    {
        using var client = TaskEventsClient.Create(new TaskEventsClientOptions { BaseAddress = gateway });
        var events = new List<TaskEvent>();
        EventPage page;
        do
        {
            page = await client.GetEventsAsync(taskId, events.Count == 0 ? 0 : events[^1].Seq, 1000);
            events.AddRange(page.Events);
        }
        while (page.HasMore);

        return events;
    }
}
