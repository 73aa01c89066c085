using System.CommandLine;
using System.CommandLine.Parsing;

namespace TaskEvents.Emitter.Cli;

/// <summary>Range checks for numeric options, reported by the parser like any other bad argument.</summary>
internal static class OptionRules
{
    public static Option<T> InRange<T>(this Option<T> option, T min, T max)
        where T : struct, IComparable<T>
    {
        option.Validators.Add(result =>
        {
            if (TryGetValue(result, out T value) && (value.CompareTo(min) < 0 || value.CompareTo(max) > 0))
            {
                result.AddError($"{option.Name} must be from {min} to {max}; it is {value}.");
            }
        });
        return option;
    }

    public static Option<int?> AtLeast(this Option<int?> option, int min)
    {
        option.Validators.Add(result =>
        {
            if (TryGetValue(result, out int? value) && value < min)
            {
                result.AddError($"{option.Name} must be at least {min}; it is {value}.");
            }
        });
        return option;
    }

    /// <summary>False when the text does not convert: the parser reports that error itself.</summary>
    private static bool TryGetValue<T>(OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }
}
