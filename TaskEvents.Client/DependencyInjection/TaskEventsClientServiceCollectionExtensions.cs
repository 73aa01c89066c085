using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskEvents.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="TaskEventsClient"/> with IHttpClientFactory, without the handlers that would fight its own retries.</summary>
public static class TaskEventsClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TaskEventsClient"/> as a typed client with options from the <c>TaskEventsClient</c> configuration
    /// section (then <paramref name="configure"/>), validated at startup.
    /// </summary>
    /// <remarks>
    /// Service defaults usually add the standard resilience handler to every HttpClient. This client is removed from
    /// it (<c>RemoveAllResilienceHandlers</c>) and has no HttpClient timeout: it bounds and retries REST calls itself,
    /// so a second retry layer would only multiply attempts, and its streams stay open far beyond any request timeout.
    /// </remarks>
    public static IHttpClientBuilder AddTaskEventsClient(this IServiceCollection services, Action<TaskEventsClientOptions>? configure = null)
    {
        var options = services.AddOptions<TaskEventsClientOptions>().BindConfiguration(TaskEventsClientOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<TaskEventsClientOptions>, TaskEventsClientOptionsValidator>();
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental, but it is the way to undo ConfigureHttpClientDefaults for one client.
        return services
            .AddHttpClient<TaskEventsClient, TaskEventsClient>((http, provider) => new TaskEventsClient(
                http,
                provider.GetRequiredService<IOptions<TaskEventsClientOptions>>().Value,
                provider.GetService<ILogger<TaskEventsClient>>()))
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }
}
