namespace TaskEvents.Emitter.Cli;

/// <summary>An argument that parsed but cannot be used (for example a gateway address that is not a URL).</summary>
internal sealed class UsageException(string message) : Exception(message);
