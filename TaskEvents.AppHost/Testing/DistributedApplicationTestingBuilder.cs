using System.Reflection;
using Microsoft.Extensions.Configuration;
using TaskEvents.AppHost.Hosting;

namespace TaskEvents.AppHost.Testing;

/// <summary>
/// What Aspire.Hosting.Testing gives: the AppHost's own app model, started from a test with free ports
/// (no fixed 8000 or 18888), a throwaway database, no dashboard unless asked for, and every resource's log lines
/// sent to the test output.
/// </summary>
public sealed class DistributedApplicationTestingBuilder
{
    private readonly DistributedApplicationBuilder _builder;
    private Action<string>? _logs;

    private DistributedApplicationTestingBuilder(DistributedApplicationBuilder builder) => _builder = builder;

    public ConfigurationManager Configuration => _builder.Configuration;

    public IReadOnlyList<IResource> Resources => _builder.Resources;

    /// <summary>Runs the AppHost's Program up to <c>Build()</c> and keeps its app model, with test settings on top of <paramref name="args"/>.</summary>
    public static Task<DistributedApplicationTestingBuilder> CreateAsync(params string[] args) => CreateAsync(args, _ => { });

    /// <summary>As <see cref="CreateAsync(string[])"/>, with <paramref name="configure"/> deciding e.g. whether the dashboard runs.</summary>
    public static async Task<DistributedApplicationTestingBuilder> CreateAsync(string[] args, Action<DistributedApplicationTestingOptions> configure)
    {
        var options = new DistributedApplicationTestingOptions();
        configure(options);
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"taskevents-apphost-test-{Guid.NewGuid():N}");
        string[] testArgs =
        [
            $"--AppHost:DashboardEnabled={!options.DisableDashboard}",
            "--AppHost:RandomizePorts=true",
            "--AppHost:TemporaryDatabase=true",
            $"--AppHost:DataDirectory={dataDirectory}",
            "--AppHost:ShutdownTimeoutSeconds=5",
            "--AppHost:HealthCheckIntervalSeconds=1",
            .. args,
        ];
        var entryPoint = typeof(DistributedApplicationTestingBuilder).Assembly.EntryPoint
            ?? throw new InvalidOperationException("TaskEvents.AppHost has no entry point.");
        var hook = TestingHook.Enter();
        await Task.Run(() =>
        {
            try
            {
                entryPoint.Invoke(null, [testArgs]);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is TestingHook.ModelCapturedException)
            {
                // Program stopped at Build(), as intended.
            }
        });

        if (!hook.Builder.IsCompleted)
        {
            throw new InvalidOperationException("The AppHost's Program ended without calling Build().");
        }

        return new DistributedApplicationTestingBuilder(await hook.Builder);
    }

    /// <summary>Sends every resource's lines (prefixed with the instance name) to <paramref name="writeLine"/>, e.g. the test output.</summary>
    public DistributedApplicationTestingBuilder WithResourceLogs(Action<string> writeLine)
    {
        _logs = writeLine;
        return this;
    }

    public Task<DistributedApplication> BuildAsync()
    {
        var app = _builder.BuildCore();
        if (_logs is { } writeLine)
        {
            app.ResourceLogSink = (instance, line) => writeLine($"{line.Timestamp:HH:mm:ss.fff} {instance.Name,-8} {line.Text}");
        }

        return Task.FromResult(app);
    }
}
