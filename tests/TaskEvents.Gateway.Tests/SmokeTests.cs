using System.Net;

namespace TaskEvents.Gateway.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Proxies_rest_to_the_api()
    {
        await using var api = await ApiHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(api.BaseAddress);
        using var client = gateway.CreateHttpClient();

        await client.CreateTaskAsync("t1");
        var task = await client.GetJsonAsync("/api/tasks/t1");
        Assert.Equal("t1", task.GetProperty("task_id").GetString());
        using var anonymous = gateway.CreateHttpClient(null);
        using var response = await anonymous.GetAsync("/api/tasks/t1");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
