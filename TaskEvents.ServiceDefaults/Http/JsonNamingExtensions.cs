using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TaskEvents.ServiceDefaults.Http;

/// <summary>JSON on the wire is snake_case (<c>task_id</c>, <c>last_seq</c>), as the seed's clients expect, in every service.</summary>
public static class JsonNamingExtensions
{
    public static IHostApplicationBuilder AddSnakeCaseJson(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        return builder;
    }
}
