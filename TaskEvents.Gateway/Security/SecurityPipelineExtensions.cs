using Microsoft.Extensions.Options;

namespace TaskEvents.Gateway.Security;

/// <summary>Puts the browser-facing protections at the front of the pipeline.</summary>
public static class SecurityPipelineExtensions
{
    /// <summary>HTTPS redirection and HSTS when <see cref="SecurityHeadersOptions.Hsts"/> is on; the hardening headers always.</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<SecurityHeadersOptions>>().Value.Hsts)
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
        return app;
    }
}
