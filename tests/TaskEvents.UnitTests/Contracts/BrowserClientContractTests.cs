using TaskEvents.Contracts;

namespace TaskEvents.UnitTests.Contracts;

/// <summary>
/// The browser client (JavaScript) cannot share the C# contract, so it is held to it here: the control message
/// names it acts on are the ones the server sends.
/// </summary>
public sealed class BrowserClientContractTests
{
    private static readonly string EventStreamService =
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Contracts", "EventStreamService.js"));

    [Theory]
    [InlineData(ControlMessageTypes.End)]
    [InlineData(ControlMessageTypes.Reconnect)]
    public void Browser_client_handles_each_control_message_type(string type) =>
        Assert.Contains($"case '{type}':", EventStreamService);

    [Fact]
    public void Browser_client_renews_its_token_on_the_servers_token_expired_reason() =>
        Assert.Contains($"control.reason === '{ReconnectReasons.TokenExpired}'", EventStreamService);
}
