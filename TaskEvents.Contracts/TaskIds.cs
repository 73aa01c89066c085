using System.Text.RegularExpressions;

namespace TaskEvents.Contracts;

/// <summary>What a task id may be: the Api refuses any other (400), the gateway shares streams only of these.</summary>
public static partial class TaskIds
{
    public const string Pattern = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$";

    [GeneratedRegex(Pattern)]
    public static partial Regex Rule();

    public static bool IsValid(string taskId) => Rule().IsMatch(taskId);
}
