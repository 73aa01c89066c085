using System.Net;

namespace TaskEvents.Client;

/// <summary>409 on append: the task has ended and accepts no more events.</summary>
public sealed class TaskEndedException : TaskEventsException
{
    public TaskEndedException()
    {
    }

    public TaskEndedException(string message)
        : base(message)
    {
    }

    public TaskEndedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public TaskEndedException(string message, HttpStatusCode statusCode)
        : base(message, statusCode)
    {
    }
}
