using Microsoft.Extensions.Options;

namespace TaskEvents.Gateway.Security;

/// <summary>Adds the browser hardening headers to every response: CSP, nosniff, no framing, no referrer.</summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next, IOptions<SecurityHeadersOptions> options)
{
    private readonly SecurityHeadersOptions _options = options.Value;

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        context.Response.OnStarting(() =>
        {
            headers.ContentSecurityPolicy = _options.ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = _options.ReferrerPolicy;
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
