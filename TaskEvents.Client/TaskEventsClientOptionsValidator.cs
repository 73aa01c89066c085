using Microsoft.Extensions.Options;

namespace TaskEvents.Client;

/// <summary>Checks <see cref="TaskEventsClientOptions"/> once, at startup or when a client is constructed, so a bad setting fails loudly.</summary>
public sealed class TaskEventsClientOptionsValidator : IValidateOptions<TaskEventsClientOptions>
{
    public ValidateOptionsResult Validate(string? name, TaskEventsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.BaseAddress is { } address && (!address.IsAbsoluteUri || address.Scheme is not ("http" or "https")))
        {
            failures.Add($"BaseAddress must be an absolute http or https URL; it is '{address}'.");
        }

        RequirePositive(failures, nameof(options.KeepaliveInterval), options.KeepaliveInterval);
        RequirePositive(failures, nameof(options.ReconnectDelay), options.ReconnectDelay);
        RequirePositive(failures, nameof(options.RetryDelay), options.RetryDelay);
        if (options.MaxReconnectDelay < options.ReconnectDelay)
        {
            failures.Add("MaxReconnectDelay must be at least ReconnectDelay.");
        }

        if (options.MaxRetryDelay < options.RetryDelay)
        {
            failures.Add("MaxRetryDelay must be at least RetryDelay.");
        }

        if (!double.IsFinite(options.ReconnectBackoffFactor) || options.ReconnectBackoffFactor < 1.0)
        {
            failures.Add("ReconnectBackoffFactor must be at least 1.");
        }

        if (options.MaxRequestAttempts is < 1 or > 100)
        {
            failures.Add("MaxRequestAttempts must be from 1 to 100.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero && options.RequestTimeout != Timeout.InfiniteTimeSpan)
        {
            failures.Add("RequestTimeout must be positive (or infinite).");
        }

        if (options.GapFillPageSize is < 1 or > 1000)
        {
            failures.Add("GapFillPageSize must be from 1 to 1000.");
        }

        if (options.BatchSize is < 1 or > 100)
        {
            failures.Add("BatchSize must be from 1 to 100.");
        }

        if (options.FlushInterval is { } flush && (flush < TimeSpan.FromSeconds(0.1) || flush > TimeSpan.FromSeconds(5)))
        {
            failures.Add("FlushInterval must be from 0.1 s to 5 s.");
        }

        if (options.TimeProvider is null)
        {
            failures.Add("TimeProvider is required.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequirePositive(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{name} must be positive.");
        }
    }
}
