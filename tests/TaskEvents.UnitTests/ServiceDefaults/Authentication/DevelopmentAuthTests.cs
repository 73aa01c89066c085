using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using TaskEvents.ServiceDefaults.Authentication;

namespace TaskEvents.UnitTests.ServiceDefaults.Authentication;

public sealed class DevelopmentAuthTests
{
    [Fact]
    public void Development_gets_the_development_issuer_and_key()
    {
        var configuration = ConfigurationAfterDefaultAuthentication(Environments.Development);

        Assert.Equal(DevelopmentAuth.Issuer, configuration["Auth:Issuer"]);
        Assert.Equal(DevelopmentAuth.SigningKey, configuration["Auth:SigningKey"]);
    }

    [Fact]
    public void Any_configured_value_wins_over_the_development_default()
    {
        var configuration = ConfigurationAfterDefaultAuthentication(Environments.Development, new()
        {
            ["Auth:Issuer"] = "someone",
            ["Auth:SigningKey"] = "",
        });

        Assert.Equal("someone", configuration["Auth:Issuer"]);
        Assert.Equal("", configuration["Auth:SigningKey"]);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Testing")]
    public void No_other_environment_gets_a_key(string environment)
    {
        var configuration = ConfigurationAfterDefaultAuthentication(environment);

        Assert.Null(configuration["Auth:SigningKey"]);
        Assert.Null(configuration["Auth:Issuer"]);
    }

    [Fact]
    public void The_development_key_is_long_enough_for_HS256()
    {
        var options = new AuthOptions { Issuer = DevelopmentAuth.Issuer, SigningKey = DevelopmentAuth.SigningKey };

        Assert.True(options.SigningKeyBytes.Length >= AuthOptions.MinSigningKeyBytes);
    }

    private static IConfiguration ConfigurationAfterDefaultAuthentication(string environment, Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.AddDefaultAuthentication();
        return builder.Configuration;
    }
}
