using System.Net;

namespace TaskEvents.Api.Tests;

public sealed class ReadEventsTests : ApiTestBase
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.CreateTaskAsync("t1");
        await Client.AppendAsync("t1", Enumerable.Repeat("step", 5).ToArray());
    }

    [Fact]
    public async Task Since_seq_is_exclusive()
    {
        var page = await Client.GetJsonAsync("/api/tasks/t1/events?since_seq=2");

        Assert.Equal([3L, 4L, 5L], page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()));
        Assert.False(page.GetProperty("has_more").GetBoolean());
        Assert.Equal(5, page.GetProperty("next_since_seq").GetInt64());
    }

    [Fact]
    public async Task Has_more_is_true_only_when_more_events_exist()
    {
        var partial = await Client.GetJsonAsync("/api/tasks/t1/events?since_seq=0&limit=2");
        var exact = await Client.GetJsonAsync("/api/tasks/t1/events?since_seq=0&limit=5");
        var next = await Client.GetJsonAsync($"/api/tasks/t1/events?since_seq={partial.GetProperty("next_since_seq").GetInt64()}&limit=2");

        Assert.True(partial.GetProperty("has_more").GetBoolean());
        Assert.Equal(2, partial.GetProperty("next_since_seq").GetInt64());
        Assert.False(exact.GetProperty("has_more").GetBoolean());
        Assert.Equal([3L, 4L], next.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task Beyond_the_end_is_an_empty_page()
    {
        var page = await Client.GetJsonAsync("/api/tasks/t1/events?since_seq=99");

        Assert.Equal(0, page.GetProperty("events").GetArrayLength());
        Assert.Equal(99, page.GetProperty("next_since_seq").GetInt64());
    }

    [Theory]
    [InlineData("since_seq=-1")]
    [InlineData("since_seq=abc")]
    [InlineData("since_seq=1.5")]
    [InlineData("since_seq=99999999999999999999999")]
    [InlineData("since_seq=1&since_seq=2")]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=")]
    public async Task Bad_query_parameters_are_400_problem_json(string query)
    {
        using var response = await Client.GetAsync($"/api/tasks/t1/events?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_task_is_404()
    {
        using var response = await Client.GetAsync("/api/tasks/missing/events");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
