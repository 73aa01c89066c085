using TaskEvents.Client;

namespace TaskEvents.Emitter.Cli;

/// <summary>Runs a command and turns whatever stops it into one line on stderr and the matching exit code.</summary>
internal static class FailureReporter
{
    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> command, CancellationToken cancellationToken)
    {
        try
        {
            return await command();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex)
        {
            var (code, message) = Describe(ex);
            await error.WriteLineAsync($"error: {message}");
            return code;
        }
    }

    private static (int Code, string Message) Describe(Exception exception) => exception switch
    {
        UsageException usage => (ExitCodes.BadArguments, usage.Message),
        TaskEventsAuthenticationException or TaskEventsForbiddenException => (ExitCodes.AuthenticationFailed, exception.Message),
        TaskNotFoundException => (ExitCodes.TaskNotFound, exception.Message),
        TaskEventsUnavailableException => (ExitCodes.GatewayUnreachable, $"gateway unreachable: {exception.Message}"),
        HttpRequestException => (ExitCodes.GatewayUnreachable, $"gateway unreachable: {exception.Message}"),
        TaskEventsException => (ExitCodes.Failed, exception.Message),
        _ => (ExitCodes.Failed, $"{exception.GetType().Name}: {exception.Message}"),
    };
}
