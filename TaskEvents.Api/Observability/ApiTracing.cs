using System.Diagnostics;

namespace TaskEvents.Api.Observability;

/// <summary>The Api's own spans (source <c>TaskEvents.Api</c>): append batches (<see cref="AppendBatchSpan"/>) and deliveries (<see cref="DeliveryTrace"/>).</summary>
public static class ApiTracing
{
    public const string SourceName = "TaskEvents.Api";

    internal static readonly ActivitySource Source = new(SourceName);
}
