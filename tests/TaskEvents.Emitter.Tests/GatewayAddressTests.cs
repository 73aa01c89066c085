using TaskEvents.Emitter.Cli;
using TaskEvents.Emitter.Gateway;

namespace TaskEvents.Emitter.Tests;

public sealed class GatewayAddressTests
{
    [Fact]
    public void The_option_wins_then_service_discovery_then_localhost()
    {
        Func<string, string?> discovered = name => name == "services__gateway__http__0" ? "http://gateway:5100" : null;

        Assert.Equal(new Uri("http://given:1"), GatewayAddress.Resolve("http://given:1", discovered));
        Assert.Equal(new Uri("http://gateway:5100"), GatewayAddress.Resolve(null, discovered));
        Assert.Equal(new Uri("http://localhost:8000"), GatewayAddress.Resolve(null, _ => null));
        Assert.Throws<UsageException>(() => GatewayAddress.Resolve("ftp://x", _ => null));
    }
}
