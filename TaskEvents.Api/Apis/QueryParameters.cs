using System.Globalization;

namespace TaskEvents.Api.Apis;

/// <summary>
/// Reads optional numeric query parameters with range checks, collecting one clear error per bad parameter
/// (malformed, out of range, or given twice) instead of the framework's generic binding failure.
/// </summary>
internal sealed class QueryParameters(IQueryCollection query)
{
    public Dictionary<string, string[]> Errors { get; } = [];

    public long Long(string name, long defaultValue, long min, long max) =>
        Read(name, defaultValue, min, max, text => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null);

    public int Int(string name, int defaultValue, int min, int max) =>
        Read(name, defaultValue, min, max, text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null);

    public double Double(string name, double defaultValue, double min, double max) =>
        Read(name, defaultValue, min, max, text =>
            double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null);

    private T Read<T>(string name, T defaultValue, T min, T max, Func<string, T?> parse)
        where T : struct, IComparable<T>
    {
        if (!query.TryGetValue(name, out var values))
        {
            return defaultValue;
        }

        if (values.Count != 1)
        {
            Errors[name] = [$"{name} must be given once."];
            return defaultValue;
        }

        if (parse(values[0] ?? "") is not { } value || value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            Errors[name] = [$"{name} must be a number from {min} to {max}."];
            return defaultValue;
        }

        return value;
    }
}
