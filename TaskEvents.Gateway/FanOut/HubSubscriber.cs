namespace TaskEvents.Gateway.FanOut;

/// <summary>One client of a shared stream: where it resumes, the token it holds, and the next frame it is due.</summary>
internal sealed class HubSubscriber(FanOutRequest request)
{
    public FanOutRequest Request => request;

    /// <summary>The number of the next frame to send it (set when it joins a hub).</summary>
    public long Next { get; set; }
}
