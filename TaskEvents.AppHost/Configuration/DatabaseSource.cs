namespace TaskEvents.AppHost.Configuration;

/// <summary>The three ways the AppHost can give the services their PostgreSQL.</summary>
public enum DatabaseSource
{
    /// <summary>A server from this machine's binaries, run by the AppHost on a persistent cluster.</summary>
    Local,

    /// <summary>Aspire.Hosting.PostgreSQL's container; needs a container runtime (Docker or Podman).</summary>
    Container,

    /// <summary>An existing server, from <c>ConnectionStrings:taskevents</c>.</summary>
    External,
}
