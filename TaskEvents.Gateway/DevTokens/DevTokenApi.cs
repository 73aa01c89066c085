using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using TaskEvents.Gateway.RateLimiting;

namespace TaskEvents.Gateway.DevTokens;

/// <summary><c>POST /auth/dev-token</c>, mapped only when <see cref="DevTokenOptions.Enabled"/>.</summary>
public static class DevTokenApi
{
    private const int MaxBodyBytes = 4096;

    public static IEndpointRouteBuilder MapDevTokenApi(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IOptions<DevTokenOptions>>().Value.Enabled)
        {
            app.MapPost("/auth/dev-token", IssueAsync).WithName("IssueDevToken").RequireRateLimiting(RateLimitPolicies.Rest);
        }

        return app;
    }

    private static async Task<IResult> IssueAsync(HttpRequest request, DevTokenIssuer issuer, IOptions<DevTokenOptions> options, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return TypedResults.Problem(title: "The request body is too large.", detail: $"At most {MaxBodyBytes} bytes are accepted.",
                statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        if (request.ContentLength is null or > 0 && !request.HasJsonContentType())
        {
            return TypedResults.Problem(title: "Unsupported media type.", detail: "Send the body as application/json.",
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        JsonElement? body;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { AllowDuplicateProperties = false }, cancellationToken);
            body = document.RootElement.Clone();
        }
        catch (JsonException) when (request.ContentLength is 0)
        {
            body = null;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.Problem(title: "The request body is too large.", detail: $"At most {MaxBodyBytes} bytes are accepted.",
                statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(title: "The request body is not valid JSON.", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }

        var (parsed, errors) = DevTokenRequest.Parse(body, options.Value);
        if (parsed is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The request is invalid.");
        }

        return TypedResults.Ok(new DevTokenResponse(issuer.Issue(parsed), "Bearer", parsed.TtlSeconds));
    }
}
