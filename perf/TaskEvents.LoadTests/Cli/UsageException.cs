namespace TaskEvents.LoadTests.Cli;

/// <summary>A run that cannot start as asked (bad option, missing nginx module, open-file limit too low): one line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
