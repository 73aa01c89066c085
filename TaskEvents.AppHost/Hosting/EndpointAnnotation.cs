namespace TaskEvents.AppHost.Hosting;

/// <summary>The HTTP endpoint a project listens on: a fixed port (one replica only), or a free port per replica.</summary>
public sealed record EndpointAnnotation(int? Port);
