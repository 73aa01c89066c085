using System.Net;

namespace TaskEvents.Client;

/// <summary>404: the task does not exist (or belongs to another tenant).</summary>
public sealed class TaskNotFoundException : TaskEventsException
{
    public TaskNotFoundException()
    {
    }

    public TaskNotFoundException(string message)
        : base(message)
    {
    }

    public TaskNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public TaskNotFoundException(string message, HttpStatusCode statusCode)
        : base(message, statusCode)
    {
    }
}
