using System.Net;
using System.Text.Json;

namespace TaskEvents.Gateway.Tests;

/// <summary>Assertions on RFC 9457 problem responses.</summary>
internal static class Problem
{
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonElement.Parse(body);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
