using Microsoft.AspNetCore.Http.Features;

namespace TaskEvents.Gateway.Proxy;

/// <summary>
/// Reads a request's whole body (at most <see cref="RequestBodyLimitOptions.MaxBytes"/>, which Kestrel enforces) before
/// it is forwarded, and hands YARP the copy in memory. Two reasons:
/// <list type="bullet">
/// <item>the client keeps its connection. When the Api answers before reading a body (403 for a missing scope, 404),
/// the HTTP/2 client stops sending it and YARP cancels its pending read of the client's body; Kestrel cannot drain a
/// body whose read was cancelled ("the body reader is in an invalid state") and closes the connection right after the
/// keep-alive response, so the client's next request on it fails with no answer;</item>
/// <item>a body in memory can be sent again to another replica when the first went away before taking it
/// (<see cref="SafeResendMiddleware"/>).</item>
/// </list>
/// Bodies are small (events, task creations); the limit bounds the worst case.
/// </summary>
internal sealed class RequestBodyBufferMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: true })
        {
            await next(context);
            return;
        }

        var copy = new MemoryStream(capacity: (int)Math.Min(context.Request.ContentLength ?? 0, int.MaxValue));
        try
        {
            await context.Request.Body.CopyToAsync(copy, context.RequestAborted);
        }
        catch (BadHttpRequestException unreadable)
        {
            await TypedResults.Problem(
                title: "The request body could not be read.",
                detail: unreadable.Message,
                statusCode: unreadable.StatusCode).ExecuteAsync(context);
            return;
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        copy.Position = 0;
        context.Request.Body = copy;
        await next(context);
    }
}
