using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.ServiceDiscovery;

namespace TaskEvents.Gateway.Proxy;

/// <summary>
/// Expands a destination whose address names a service (<c>http://api</c>) into one destination per endpoint
/// that service discovery knows, e.g. every <c>services__api__http__&lt;i&gt;</c> entry (the Aspire contract).
/// Endpoint changes reload the cluster. What Microsoft.Extensions.ServiceDiscovery.Yarp would do, were it in the feed.
/// </summary>
internal sealed class ServiceEndpointDestinationResolver(ServiceEndpointResolver resolver) : IDestinationResolver
{
    public async ValueTask<ResolvedDestinationCollection> ResolveDestinationsAsync(
        IReadOnlyDictionary<string, DestinationConfig> destinations, CancellationToken cancellationToken)
    {
        var resolved = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase);
        var changeTokens = new List<IChangeToken>();
        foreach (var (name, destination) in destinations)
        {
            var service = new Uri(destination.Address);
            var source = await resolver.GetEndpointsAsync(service.GetLeftPart(UriPartial.Authority), cancellationToken);
            changeTokens.Add(source.ChangeToken);
            foreach (var endpoint in source.Endpoints)
            {
                var address = AddressOf(endpoint, service);
                resolved[$"{name}[{address.Authority}]"] = destination with
                {
                    Address = address.ToString(),
                    Health = destination.Health is { Length: > 0 } health ? Rebase(new Uri(health), address).ToString() : null,
                };
            }
        }

        return new ResolvedDestinationCollection(resolved, new CompositeChangeToken(changeTokens));
    }

    /// <summary>The endpoint as a URL, keeping the path the configured address had.</summary>
    private static Uri AddressOf(ServiceEndpoint endpoint, Uri service)
    {
        var text = endpoint.EndPoint is UriEndPoint uri ? uri.Uri.ToString() : endpoint.ToString()!;
        var found = text.Contains("://", StringComparison.Ordinal)
            ? new Uri(text)
            : new Uri($"{SchemeOf(service)}://{text}");
        return Rebase(service, found);
    }

    private static Uri Rebase(Uri address, Uri endpoint) =>
        new UriBuilder(address) { Scheme = endpoint.Scheme, Host = endpoint.Host, Port = endpoint.Port }.Uri;

    // "https+http://api" means: prefer https, accept http. Discovery picked the scheme already when it returned a URL.
    private static string SchemeOf(Uri service) => service.Scheme.Split('+')[0];
}
