using System.Net;

namespace TaskEvents.Client;

/// <summary>A request the server refused (or could not serve); the message is one line fit to show a person.</summary>
public class TaskEventsException : Exception
{
    public TaskEventsException()
    {
    }

    public TaskEventsException(string message)
        : base(message)
    {
    }

    public TaskEventsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public TaskEventsException(string message, HttpStatusCode? statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status that caused this, when there was a response.</summary>
    public HttpStatusCode? StatusCode { get; }
}
