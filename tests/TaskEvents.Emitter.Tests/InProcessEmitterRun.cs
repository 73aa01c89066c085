using TaskEvents.Emitter.Cli;

namespace TaskEvents.Emitter.Tests;

/// <summary>Runs the Emitter's command line in-process, as <c>dotnet run -- args</c> would, capturing its output.</summary>
internal sealed record InProcessEmitterRun(int ExitCode, string Output, string Error)
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static async Task<InProcessEmitterRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await EmitterCommandLine.RunAsync(args, TextWriter.Synchronized(output), TextWriter.Synchronized(error)).WaitAsync(Patience);
        return new InProcessEmitterRun(exitCode, output.ToString(), error.ToString());
    }
}
