using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TaskEvents.Emitter.Cli;

namespace TaskEvents.Emitter.Tests;

/// <summary>Against a small stand-in for the gateway's auth (the real gateway lands separately).</summary>
public sealed class AuthTests : IAsyncLifetime
{
    private readonly List<(string Path, string? Authorization, string Body)> _requests = [];
    private WebApplication _gateway = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _gateway = builder.Build();
        _gateway.Run(async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var authorization = context.Request.Headers.Authorization.FirstOrDefault();
            lock (_requests)
            {
                _requests.Add((context.Request.Path.Value!, authorization, body));
            }

            if (context.Request.Path == "/auth/dev-token")
            {
                await context.Response.WriteAsJsonAsync(new { access_token = "dev-abc" });
                return;
            }

            // Accepted tokens get through to "no such task"; anything else is refused.
            context.Response.StatusCode = authorization == "Bearer dev-abc" ? 404 : 401;
            context.Response.ContentType = "application/problem+json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { title = context.Response.StatusCode == 404 ? "Task not found." : "Unauthorized" }));
        });
        await _gateway.StartAsync();
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private string Address => _gateway.Urls.First();

    [Fact]
    public async Task A_refused_token_exits_with_4_after_one_attempt()
    {
        var run = await InProcessEmitterRun.RunAsync("watch", "--task", "x", "--token", "wrong", "--gateway", Address);

        Assert.Equal(ExitCodes.AuthenticationFailed, run.ExitCode);
        Assert.Equal("error: Reading task 'x' failed: 401 Unauthorized", run.Error.Trim());
        // One request with the token and one after asking the provider again: a fixed token cannot change, so it stops there.
        Assert.Equal(["Bearer wrong", "Bearer wrong"], _requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task Dev_token_is_requested_for_the_tenant_and_sent_as_bearer()
    {
        var run = await InProcessEmitterRun.RunAsync("watch", "--task", "x", "--dev-token", "--tenant", "acme", "--gateway", Address);

        Assert.Equal(ExitCodes.TaskNotFound, run.ExitCode);
        var issued = _requests.Single(r => r.Path == "/auth/dev-token");
        var request = JsonDocument.Parse(issued.Body).RootElement;
        Assert.Equal("acme", request.GetProperty("tenant").GetString());
        Assert.Equal(["events:read", "events:write"], request.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.True(request.GetProperty("ttl_seconds").GetInt32() > 0);
        Assert.Equal("Bearer dev-abc", _requests.Single(r => r.Path == "/api/tasks/x").Authorization);
    }

    [Fact]
    public async Task Token_and_dev_token_together_are_bad_arguments()
    {
        var run = await InProcessEmitterRun.RunAsync("watch", "--task", "x", "--dev-token", "--token", "t", "--gateway", Address);

        Assert.Equal(ExitCodes.BadArguments, run.ExitCode);
        Assert.Empty(_requests);
    }
}
