using Microsoft.Extensions.Logging;

namespace TaskEvents.SystemTesting;

/// <summary>Writes the AppHost's logs, the resources' console output among them, one line each to a test's output.</summary>
internal sealed class LineLoggerProvider(Action<string> writeLine) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new LineLogger(Shorten(categoryName), writeLine);

    public void Dispose()
    {
    }

    // "TaskEvents.AppHost.Resources.api-0" reads better as "api-0".
    private static string Shorten(string category) => category[(category.LastIndexOf('.') + 1)..];

    private sealed class LineLogger(string category, Action<string> writeLine) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                writeLine($"{DateTime.Now:HH:mm:ss.fff} {category,-10} {formatter(state, exception)}{(exception is null ? "" : $" {exception}")}");
            }
            catch (InvalidOperationException)
            {
                // xunit's output refuses lines once the test has finished; lines written while stopping have nowhere to go.
            }
        }
    }
}
