namespace TaskEvents.Client;

/// <summary>
/// The event types that end a task; the server refuses appends after one of them. Kept here for the client's users;
/// the names are defined once, in <see cref="Contracts.TerminalEventTypes"/>, which the server uses too.
/// </summary>
public static class TerminalEventTypes
{
    public const string Completed = Contracts.TerminalEventTypes.Completed;
    public const string Failed = Contracts.TerminalEventTypes.Failed;
    public const string Cancelled = Contracts.TerminalEventTypes.Cancelled;

    public static bool Contains(string eventType) => Contracts.TerminalEventTypes.Contains(eventType);
}
