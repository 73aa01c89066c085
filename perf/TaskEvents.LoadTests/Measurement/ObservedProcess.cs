namespace TaskEvents.LoadTests.Measurement;

/// <summary>A process of the system under test whose CPU, memory and sockets the harness reads from /proc (role: api, gateway, nginx).</summary>
internal sealed record ObservedProcess(string Role, string Name, int ProcessId);
