using System.Net;
using Microsoft.Extensions.Configuration;

namespace TaskEvents.SecurityTests.Attacks;

/// <summary>
/// The dev-token endpoint hands out any tenant's token to anyone: it must not exist in the Production configuration
/// (nor in any environment but Development, unless turned on explicitly).
/// </summary>
public sealed class DevTokenExposureTests(AttackEnvironment environment) : IClassFixture<AttackEnvironment>, IDisposable
{
    private const string Test = nameof(DevTokenExposureTests);

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task The_dev_token_endpoint_is_absent_outside_development(string environmentName)
    {
        await using var gateway = await GatewayHost.StartAsync([environment.Api], environment: environmentName);
        using var anonymous = gateway.CreateHttpClient(null);

        var statuses = new List<HttpStatusCode>();
        foreach (var body in new[] { "", "{}", "{\"tenant\": \"victim-tenant\", \"scopes\": [\"events:read\", \"events:write\"]}" })
        {
            using var response = await anonymous.PostRawAsync("/auth/dev-token", body);
            statuses.Add(response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var get = await anonymous.GetAsync("/auth/dev-token");
        statuses.Add(get.StatusCode);
        AttackTable.Record(Test, new("Dev tokens", $"POST/GET /auth/dev-token in {environmentName}", "gateway", "404 problem: not mapped",
            string.Join(", ", statuses.Distinct().Select(s => $"{(int)s}")), Test));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.NotFound, s));
    }

    [Fact]
    public void The_production_configuration_leaves_dev_tokens_off_and_holds_no_signing_key()
    {
        // What a Production gateway reads: appsettings.json (no appsettings.Production.json exists).
        var directory = Path.Combine(ReliabilityArtifacts.RepositoryRoot, "TaskEvents.Gateway");
        Assert.False(File.Exists(Path.Combine(directory, "appsettings.Production.json")));
        var production = new ConfigurationBuilder().AddJsonFile(Path.Combine(directory, "appsettings.json")).Build();

        AttackTable.Record(Test, new("Dev tokens", "DevTokens:Enabled and Auth:SigningKey in the Production configuration", "gateway config",
            "Enabled false; no signing key shipped", $"Enabled {production["DevTokens:Enabled"]}; SigningKey {(production["Auth:SigningKey"] is null ? "absent" : "PRESENT")}", Test));
        Assert.Equal("False", production["DevTokens:Enabled"], ignoreCase: true);
        Assert.Null(production["Auth:SigningKey"]);
    }

    public void Dispose()
    {
        AttackTable.Flush(Test);
        AttackTable.Write("existing-devtokens", [
            new("Dev tokens", "endpoint off unless configured (Testing environment)", "gateway", "404", "404", "Gateway.Tests: DevTokenTests.Is_off_unless_configured"),
            new("Dev tokens", "cannot be enabled without a shared signing key (OIDC mode)", "gateway", "refuses to start", "OptionsValidationException",
                "Gateway.Tests: DevTokenTests.Cannot_be_enabled_without_a_signing_key"),
        ]);
    }
}
