using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace TaskEvents.Testing;

/// <summary>Raw HTTP calls to the Api's REST endpoints, asserting nothing but what each helper says.</summary>
public static class ApiCalls
{
    public static async Task CreateTaskAsync(this HttpClient client, string taskId)
    {
        using var response = await client.PostAsJsonAsync("/api/tasks", new { task_id = taskId });
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Creating task {taskId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Appends events of the given types as one request and returns the response JSON.</summary>
    public static async Task<JsonElement> AppendAsync(this HttpClient client, string taskId, params string[] eventTypes)
    {
        var body = new { events = eventTypes.Select(type => new { event_type = type }).ToArray() };
        return await client.PostJsonAsync($"/api/tasks/{taskId}/events", body, HttpStatusCode.Created);
    }

    public static async Task<JsonElement> PostJsonAsync(this HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
        }

        return JsonElement.Parse(text);
    }

    public static async Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string body, string contentType = "application/json") =>
        await client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonElement.Parse(text);
    }
}
