using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace TaskEvents.Gateway.Proxy;

/// <summary>
/// Refuses a declared body over <see cref="RequestBodyLimitOptions.MaxBytes"/> with 413 problem+json before anything is
/// forwarded, and caps an undeclared (chunked) one at the same size, so the Api never sees more than it accepts.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<RequestBodyLimitOptions> options)
{
    private readonly long _maxBytes = options.Value.MaxBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > _maxBytes)
        {
            await TypedResults.Problem(
                title: "The request body is too large.",
                detail: $"At most {_maxBytes} bytes are accepted.",
                statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit && !(limit.MaxRequestBodySize < _maxBytes))
        {
            limit.MaxRequestBodySize = _maxBytes;
        }

        await next(context);
    }
}
