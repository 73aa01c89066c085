using TaskEvents.Emitter.Cli;

return await EmitterCommandLine.RunAsync(args, Console.Out, Console.Error, handleTermination: true);
