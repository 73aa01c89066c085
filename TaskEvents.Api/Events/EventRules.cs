using System.Text.RegularExpressions;
using TaskEvents.Contracts;

namespace TaskEvents.Api.Events;

/// <summary>The limits and formats every task and event obeys, in one place.</summary>
public static partial class EventRules
{
    public const int MaxEventsPerAppend = 500;
    public const int MaxRequestBodyBytes = 1024 * 1024;
    public const int MaxPayloadBytes = 64 * 1024;
    public const int MaxTextFieldLength = 128;
    public const int MaxReadLimit = 1000;
    public const int DefaultReadLimit = 100;

    public const string TaskIdPattern = TaskIds.Pattern;

    public static Regex TaskId() => TaskIds.Rule();

    [GeneratedRegex("^[a-z][a-z0-9_.]{0,63}$")]
    public static partial Regex EventType();

    /// <summary>Free text fields (event_id, phase, actor, span ids): printable, at most 128 characters.</summary>
    public static bool IsValidText(string value) =>
        value.Length is > 0 and <= MaxTextFieldLength && !value.Any(char.IsControl) && IsWellFormedUtf16(value);

    /// <summary>Lone surrogates cannot be stored as UTF-8; they are rejected rather than silently replaced.</summary>
    public static bool IsWellFormedUtf16(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }
}
