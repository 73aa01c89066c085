using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace TaskEvents.Gateway.RateLimiting;

/// <summary>Answers a refused request with 429 problem+json and a Retry-After the client can honour.</summary>
internal static class RateLimitRejection
{
    public static async ValueTask WriteAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
            : context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.StreamRetryAfterSeconds;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await TypedResults.Problem(
            title: "Too many requests.",
            detail: $"This client is over its limit. Retry after {retryAfter} s.",
            statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
    }
}
