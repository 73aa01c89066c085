using System.Net;

namespace TaskEvents.Client;

/// <summary>401: no token, or the token was refused even after a refresh.</summary>
public sealed class TaskEventsAuthenticationException : TaskEventsException
{
    public TaskEventsAuthenticationException()
    {
    }

    public TaskEventsAuthenticationException(string message)
        : base(message)
    {
    }

    public TaskEventsAuthenticationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public TaskEventsAuthenticationException(string message, HttpStatusCode statusCode)
        : base(message, statusCode)
    {
    }
}
