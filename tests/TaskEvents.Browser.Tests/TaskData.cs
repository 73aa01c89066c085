using System.Net;

namespace TaskEvents.Browser.Tests;

/// <summary>Creates tasks and appends events through the gateway's REST API, as a producer would.</summary>
public static class TaskData
{
    public static async Task<string> CreateTaskAsync(this HttpClient client, string name)
    {
        var taskId = $"{name}-{Guid.NewGuid():N}";
        await ApiCalls.CreateTaskAsync(client, taskId);
        return taskId;
    }

    /// <summary>Appends <paramref name="count"/> <c>work_item_progress</c> events, then <paramref name="then"/> if given, in requests of at most 500.</summary>
    public static async Task AppendManyAsync(this HttpClient client, string taskId, int count, string? then = null)
    {
        var types = Enumerable.Repeat("work_item_progress", count).ToList();
        if (then is not null)
        {
            types.Add(then);
        }

        foreach (var chunk in types.Chunk(500))
        {
            await client.PostJsonAsync($"/api/tasks/{taskId}/events",
                new { events = chunk.Select(type => new { event_type = type, payload = new { progress = 50 } }).ToArray() },
                HttpStatusCode.Created);
        }
    }

    public static long[] Seqs(int from, int to) => [.. Enumerable.Range(from, to - from + 1).Select(i => (long)i)];
}
