namespace TaskEvents.Emitter.Cli;

/// <summary>What the process exit code tells a script.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int BadArguments = 2;
    public const int GatewayUnreachable = 3;
    public const int AuthenticationFailed = 4;
    public const int TaskNotFound = 5;
    public const int Cancelled = 130;
}
