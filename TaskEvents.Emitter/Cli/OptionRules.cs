using System.CommandLine;

namespace TaskEvents.Emitter.Cli;

/// <summary>Range checks for numeric options, reported by the parser like any other bad argument.</summary>
internal static class OptionRules
{
    public static Option<T> InRange<T>(this Option<T> option, T min, T max)
        where T : struct, IComparable<T>
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<T>();
            if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
            {
                result.AddError($"{option.Name} must be from {min} to {max}; it is {value}.");
            }
        });
        return option;
    }
}
