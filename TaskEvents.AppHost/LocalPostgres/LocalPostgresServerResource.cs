using TaskEvents.LocalPostgres;

namespace TaskEvents.AppHost.LocalPostgres;

/// <summary>
/// PostgreSQL from this machine's binaries, run by Aspire as an executable: the postmaster in the foreground (through
/// <c>run-postgres.sh</c>), on a persistent cluster prepared before each start.
/// </summary>
public sealed class LocalPostgresServerResource(string name, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, "bash", dataDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";

    public ParameterResource Password { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    /// <summary>The databases created on it once it is up.</summary>
    public List<LocalPostgresDatabaseResource> Databases { get; } = [];

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={LocalPostgresCluster.SuperUser};Password={Password}");
}
