namespace TaskEvents.Gateway.FanOut;

internal enum UpstreamEndKind
{
    /// <summary>The task ended (the <c>end</c> control message came).</summary>
    Ended,

    /// <summary>The Api asked for a reconnect, with a reason.</summary>
    Reconnect,

    /// <summary>It could not be opened, or it broke without a word.</summary>
    Broken,
}

/// <summary>How one upstream stream ended.</summary>
internal readonly record struct UpstreamEnd(UpstreamEndKind Kind, string? Reason)
{
    public static UpstreamEnd Broken => new(UpstreamEndKind.Broken, null);
}
