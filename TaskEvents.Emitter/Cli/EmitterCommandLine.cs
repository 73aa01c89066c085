using System.CommandLine;
using TaskEvents.Emitter.Commands;

namespace TaskEvents.Emitter.Cli;

/// <summary>
/// The Emitter's command line: with no command it runs the demo worker; <c>emit</c> and <c>watch</c> are the manual tools.
/// Bad arguments print one line each and exit with <see cref="ExitCodes.BadArguments"/>.
/// </summary>
internal static class EmitterCommandLine
{
    public static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, bool handleTermination = false, CancellationToken cancellationToken = default)
    {
        var parsed = Build(output, error).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}");
            }

            await error.WriteLineAsync("Run with --help for usage.");
            return ExitCodes.BadArguments;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            // Ctrl+C and SIGTERM cancel the command's token; tests run in-process and leave the signals alone.
            ProcessTerminationTimeout = handleTermination ? TimeSpan.FromSeconds(5) : null,
        }, cancellationToken);
    }

    private static RootCommand Build(TextWriter output, TextWriter error)
    {
        var gateway = new GatewayOptions();
        var root = new RootCommand("TaskEvents Emitter: keeps demo agent runs going (no command), or emits and watches by hand.");
        gateway.AddTo(root);
        WorkerCommand.AddTo(root, gateway, output, error);
        root.Subcommands.Add(EmitCommand.Create(gateway, output, error));
        root.Subcommands.Add(WatchCommand.Create(gateway, output, error));
        return root;
    }
}
