using Microsoft.AspNetCore.Http;

namespace TaskEvents.AppHost.Dashboard;

/// <summary>
/// <c>/login?t=…</c> (the URL printed at startup) sets the cookie and goes to the resources page; anything else
/// without the cookie gets the login page (HTML) or 401 (API).
/// </summary>
internal sealed class DashboardLoginMiddleware(RequestDelegate next, DashboardLogin login)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path == "/login")
        {
            var token = request.Query["t"].ToString();
            if (login.Accepts(token))
            {
                context.Response.Cookies.Append(DashboardLogin.CookieName, token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
                context.Response.Redirect("/");
                return;
            }

            context.Response.StatusCode = string.IsNullOrEmpty(token) ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.SendFileAsync(Path.Combine(AppContext.BaseDirectory, "dashboard", "login.html"));
            return;
        }

        if (login.Accepts(request.Cookies[DashboardLogin.CookieName]) || request.Path.StartsWithSegments("/assets"))
        {
            await next(context);
            return;
        }

        if (request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        context.Response.Redirect("/login");
    }
}
