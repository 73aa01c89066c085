using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TaskEvents.Api.Tests;

public sealed class TasksApiTests : ApiTestBase
{
    [Fact]
    public async Task Creates_a_task_with_the_given_id_and_metadata()
    {
        var created = await Client.PostJsonAsync("/api/tasks", new { task_id = "build-42", metadata = new { owner = "ci" } }, HttpStatusCode.Created);

        Assert.Equal("build-42", created.GetProperty("task_id").GetString());
        Assert.Equal("running", created.GetProperty("status").GetString());
        Assert.Equal(0, created.GetProperty("last_seq").GetInt64());
        Assert.Equal("ci", created.GetProperty("metadata").GetProperty("owner").GetString());

        var read = await Client.GetJsonAsync("/api/tasks/build-42");
        Assert.Equal(created.GetProperty("created_at").GetString(), read.GetProperty("created_at").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", read.GetProperty("created_at").GetString());
    }

    [Fact]
    public async Task Generates_an_id_when_none_is_given()
    {
        using var response = await Client.PostAsync("/api/tasks", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("task_id").GetString()!;
        Assert.StartsWith("task-", id);
        Assert.Equal($"/api/tasks/{id}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Creating_an_existing_task_is_a_conflict_and_changes_nothing()
    {
        await Client.PostJsonAsync("/api/tasks", new { task_id = "dup", metadata = new { v = 1 } }, HttpStatusCode.Created);

        var problem = await Client.PostJsonAsync("/api/tasks", new { task_id = "dup", metadata = new { v = 2 } }, HttpStatusCode.Conflict);

        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        var task = await Client.GetJsonAsync("/api/tasks/dup");
        Assert.Equal(1, task.GetProperty("metadata").GetProperty("v").GetInt32());
    }

    [Fact]
    public async Task Unknown_task_is_404_problem_json()
    {
        using var response = await Client.GetAsync("/api/tasks/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("{\"task_id\": \"-starts-with-dash\"}")]
    [InlineData("{\"task_id\": 42}")]
    [InlineData("{\"task_id\": \"ok\", \"colour\": \"red\"}")]
    [InlineData("{\"metadata\": [1, 2]}")]
    [InlineData("[1]")]
    [InlineData("{\"task_id\": \"a\", \"task_id\": \"b\"}")]
    [InlineData("{not json")]
    [InlineData("{\"task_id\": \"\\ud800\"}")]
    [InlineData("{\"\\udc00\": 1}")]
    [InlineData("{\"metadata\": {\"n\": 1e400}}")]
    public async Task Rejects_bad_create_bodies_with_400_problem(string body)
    {
        using var response = await Client.PostRawAsync("/api/tasks", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Rejects_a_body_that_is_not_json_with_415()
    {
        using var response = await Client.PostRawAsync("/api/tasks", "task_id=x", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task A_malformed_task_id_in_the_path_is_400()
    {
        using var response = await Client.GetAsync("/api/tasks/%20bad%20id");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
