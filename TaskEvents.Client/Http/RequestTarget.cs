namespace TaskEvents.Client.Http;

/// <summary>A request's action and task, as named in error messages.</summary>
internal readonly record struct RequestTarget(RequestKind Kind, string TaskId)
{
    public string Describe() => Kind switch
    {
        RequestKind.CreateTask => $"Creating task '{TaskId}'",
        RequestKind.ReadTask => $"Reading task '{TaskId}'",
        RequestKind.Append => $"Appending to task '{TaskId}'",
        RequestKind.ReadEvents => $"Reading the events of task '{TaskId}'",
        _ => $"Subscribing to task '{TaskId}'",
    };
}
