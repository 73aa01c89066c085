using TaskEvents.Contracts;

namespace TaskEvents.UnitTests.Contracts;

/// <summary>
/// The browser client (JavaScript) cannot share the C# contract, so it is held to it here: the control message
/// names it acts on are the ones the server sends.
/// </summary>
public sealed class BrowserClientContractTests
{
    private static readonly string EventStreamService = File.ReadAllText(Path.Combine(
        RepositoryRoot(), "TaskEvents.Gateway", "wwwroot", "static", "js", "services", "EventStreamService.js"));

    [Theory]
    [InlineData(ControlMessageTypes.End)]
    [InlineData(ControlMessageTypes.Reconnect)]
    public void Browser_client_handles_each_control_message_type(string type) =>
        Assert.Contains($"case '{type}':", EventStreamService);

    [Fact]
    public void Browser_client_renews_its_token_on_the_servers_token_expired_reason() =>
        Assert.Contains($"control.reason === '{ReconnectReasons.TokenExpired}'", EventStreamService);

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "TaskEvents.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No TaskEvents.sln above {AppContext.BaseDirectory}.");
    }
}
