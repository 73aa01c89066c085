namespace TaskEvents.Testing;

/// <summary>A running Api a gateway can front: an in-process <see cref="ApiHost"/> or an <see cref="ApiProcess"/>.</summary>
public interface IApiReplica
{
    /// <summary>The HTTP/1.1 address clients and tests use.</summary>
    Uri BaseAddress { get; }

    /// <summary>The HTTP/2-only (h2c) address the gateway forwards to.</summary>
    Uri H2cAddress { get; }
}
