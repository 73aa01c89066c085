using System.Net;

namespace TaskEvents.Client;

/// <summary>
/// The server could not be reached or stayed unavailable (connection failures, timeouts, 408/429/5xx) through every
/// allowed attempt. Appends are safe to repeat later: their event ids make a repeat store nothing twice.
/// </summary>
public sealed class TaskEventsUnavailableException : TaskEventsException
{
    public TaskEventsUnavailableException()
    {
    }

    public TaskEventsUnavailableException(string message)
        : base(message)
    {
    }

    public TaskEventsUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public TaskEventsUnavailableException(string message, HttpStatusCode? statusCode, TimeSpan? retryAfter, Exception? innerException)
        : base(message, statusCode, innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>How long the server last asked to wait, when it said so.</summary>
    public TimeSpan? RetryAfter { get; }
}
