using Spectre.Console;
using TaskEvents.LoadTests.Cli;

// Socket completions run on the socket's own thread instead of waking a thread-pool worker for each: the harness reads
// 20,000 events a second on cores it shares with the system it measures. Read by the runtime at its first socket, so
// set before any; the harness never blocks in a continuation.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

return await LoadTestCommandLine.RunAsync(args, AnsiConsole.Console);
