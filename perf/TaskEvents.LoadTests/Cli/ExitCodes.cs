namespace TaskEvents.LoadTests.Cli;

internal static class ExitCodes
{
    public const int Passed = 0;

    /// <summary>Events lost, duplicated or out of order, or a threshold (<c>--max-p99-ms</c> …) missed.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments, a target that could not be started, or a run that could not finish (the reason is printed).</summary>
    public const int CannotRun = 2;
}
