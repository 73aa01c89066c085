namespace TaskEvents.Client.Http;

/// <summary>What a request does, so a refusal becomes the right exception and a message that names the action.</summary>
internal enum RequestKind
{
    CreateTask,
    ReadTask,
    Append,
    ReadEvents,
    Subscribe,
}
