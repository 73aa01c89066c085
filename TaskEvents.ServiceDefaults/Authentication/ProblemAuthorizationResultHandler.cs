using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace TaskEvents.ServiceDefaults.Authentication;

/// <summary>
/// Answers 401 and 403 with an RFC 9457 problem body after the usual challenge or forbid (which set the status
/// and <c>WWW-Authenticate</c>). Written directly, so even a client that accepts only text/event-stream gets it.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        await _default.HandleAsync(next, context, policy, authorizeResult);
        if (context.Response.HasStarted)
        {
            return;
        }

        var problem = authorizeResult switch
        {
            { Challenged: true } => TypedResults.Problem(
                title: "Authentication required.",
                detail: "Send a valid, unexpired bearer token.",
                statusCode: StatusCodes.Status401Unauthorized),
            { Forbidden: true } => TypedResults.Problem(
                title: "Forbidden.",
                detail: "The token does not grant the scope this request needs.",
                statusCode: StatusCodes.Status403Forbidden),
            _ => null,
        };
        if (problem is not null)
        {
            await problem.ExecuteAsync(context);
        }
    }
}
