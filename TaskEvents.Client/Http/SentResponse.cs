namespace TaskEvents.Client.Http;

/// <summary>An accepted response and whether earlier attempts of the same request were made (and may have been applied).</summary>
internal sealed record SentResponse(HttpResponseMessage Message, bool WasRetried) : IDisposable
{
    public void Dispose() => Message.Dispose();
}
