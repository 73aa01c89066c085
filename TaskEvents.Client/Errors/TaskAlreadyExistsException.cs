using System.Net;

namespace TaskEvents.Client;

/// <summary>409 on create: a task with this id exists already.</summary>
public sealed class TaskAlreadyExistsException : TaskEventsException
{
    public TaskAlreadyExistsException()
    {
    }

    public TaskAlreadyExistsException(string message)
        : base(message)
    {
    }

    public TaskAlreadyExistsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public TaskAlreadyExistsException(string message, HttpStatusCode statusCode)
        : base(message, statusCode)
    {
    }
}
