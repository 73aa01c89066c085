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
            return TooLarge();
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
            return TooLarge();
        }
        catch (JsonException ex)
        {
            return NotJson(ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            // Checking for duplicate keys decodes every name; an escaped unpaired surrogate or invalid UTF-8 cannot be decoded.
            return NotJson(ex.Message);
        }

        DevTokenRequest? parsed;
        Dictionary<string, string[]> errors;
        try
        {
            (parsed, errors) = DevTokenRequest.Parse(body, options.Value);
        }
        catch (InvalidOperationException ex)
        {
            // Reading a name or string that is not valid UTF-8 (or holds an unpaired surrogate) throws here.
            return NotJson(ex.Message);
        }

        if (parsed is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The request is invalid.");
        }

        return TypedResults.Ok(new DevTokenResponse(issuer.Issue(parsed), "Bearer", parsed.TtlSeconds));
    }

    private static IResult NotJson(string detail) =>
        TypedResults.Problem(title: "The request body is not valid JSON.", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    private static IResult TooLarge() => TypedResults.Problem(title: "The request body is too large.",
        detail: $"At most {MaxBodyBytes} bytes are accepted.", statusCode: StatusCodes.Status413PayloadTooLarge);
}
