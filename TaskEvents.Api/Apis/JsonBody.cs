using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TaskEvents.Api.Apis;

/// <summary>
/// Reads a request body as one JSON document with strict rules (no duplicate keys, bounded depth and size)
/// and turns every way it can be wrong into a problem the caller can act on.
/// </summary>
internal static class JsonBody
{
    private static readonly JsonDocumentOptions StrictOptions = new()
    {
        AllowDuplicateProperties = false,
        MaxDepth = 64,
    };

    /// <summary>The parsed document, or the problem to answer with. An empty body parses as null.</summary>
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, Problems.PayloadTooLarge(maxBytes));
        }

        if (request.ContentLength is null or > 0 && !IsJson(request))
        {
            return (null, Problems.UnsupportedMediaType());
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken);
            if (buffer.Length == 0)
            {
                return (null, null);
            }

            return (JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), StrictOptions), null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.PayloadTooLarge(maxBytes));
        }
        catch (JsonException ex)
        {
            return (null, Problems.BadRequest("The request body is not valid JSON.", ex.Message));
        }
        catch (InvalidOperationException ex)
        {
            // Checking for duplicate keys decodes every name; an escaped unpaired surrogate cannot be decoded.
            return (null, Problems.BadRequest("The request body is not valid JSON.", ex.Message));
        }
    }

    private static bool IsJson(HttpRequest request) =>
        request.ContentType is { } contentType
        && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase));
}
