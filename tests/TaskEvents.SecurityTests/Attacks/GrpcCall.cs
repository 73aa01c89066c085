using System.Net;
using System.Net.Http.Headers;

namespace TaskEvents.SecurityTests.Attacks;

/// <summary>One unary gRPC call over cleartext HTTP/2 (h2c, prior knowledge), as the dashboard and the services make them.</summary>
public sealed record GrpcCall(HttpStatusCode Status, string? GrpcStatus)
{
    public static readonly HttpClient Client = new(new SocketsHttpHandler { UseCookies = false });

    /// <summary>Answered and accepted: HTTP 200 and grpc-status 0.</summary>
    public bool Accepted => Status == HttpStatusCode.OK && GrpcStatus == "0";

    public static async Task<GrpcCall> SendAsync(Uri server, string method, byte[] frame, IReadOnlyDictionary<string, string> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, method))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var grpcStatus = response.TrailingHeaders.TryGetValues("grpc-status", out var trailer) ? trailer.First()
            : response.Headers.TryGetValues("grpc-status", out var header) ? header.First() : null;
        return new GrpcCall(response.StatusCode, grpcStatus);
    }

    public override string ToString() => $"HTTP {(int)Status}, grpc-status {GrpcStatus ?? "none"}";
}
