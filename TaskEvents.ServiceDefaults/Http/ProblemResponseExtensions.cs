using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TaskEvents.ServiceDefaults.Http;

/// <summary>Every error a service answers is RFC 9457 problem+json: unhandled exceptions and bare status codes included.</summary>
public static class ProblemResponseExtensions
{
    public static IHostApplicationBuilder AddProblemResponses(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        return builder;
    }

    /// <summary>First in the pipeline: an exception anywhere after it, or an empty 4xx/5xx, becomes a problem body.</summary>
    public static IApplicationBuilder UseProblemResponses(this IApplicationBuilder app) =>
        app.UseExceptionHandler().UseStatusCodePages();
}
