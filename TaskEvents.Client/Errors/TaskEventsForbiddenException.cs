using System.Net;

namespace TaskEvents.Client;

/// <summary>403: the token is valid but lacks the scope for this call.</summary>
public sealed class TaskEventsForbiddenException : TaskEventsException
{
    public TaskEventsForbiddenException()
    {
    }

    public TaskEventsForbiddenException(string message)
        : base(message)
    {
    }

    public TaskEventsForbiddenException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public TaskEventsForbiddenException(string message, HttpStatusCode statusCode)
        : base(message, statusCode)
    {
    }
}
