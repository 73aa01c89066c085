using Spectre.Console;
using TaskEvents.LoadTests.Cli;

return await LoadTestCommandLine.RunAsync(args, AnsiConsole.Console);
